/**
 * DDS calls per page, read from the `Server-Timing` header (`dds;dur=…;desc="N calls"`) of a sample
 * of pages; exact, unlike counters that also catch requests in flight when a load run starts or ends.
 */

export async function ddsCallsPerPage(
  url: string,
  headersFor: ((n: number) => Record<string, string>) | undefined,
  samples = 16,
  request: { method?: "GET" | "POST"; body?: string } = {},
): Promise<number> {
  let calls = 0;
  for (let n = 0; n < samples; n++) {
    const response = await fetch(url, { ...request, headers: headersFor?.(n * 37) ?? {} });
    await response.arrayBuffer();
    const match = /dds;[^,]*desc="(\d+) calls"/.exec(response.headers.get("server-timing") ?? "");
    if (!match) return Number.NaN;
    calls += Number(match[1]);
  }
  return calls / samples;
}
