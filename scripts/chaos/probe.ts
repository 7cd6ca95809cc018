/** Asking the compositor whether it has recovered: whole pages, /readyz. */
import { FULL_PAGE_WIDGETS, PAGE_PATH } from "../../bench/overload-run.ts";

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `token`'s home page comes back whole: all its widgets, none stale. */
export async function isWhole(baseUrl: string, token: string): Promise<boolean> {
  const response = await fetch(baseUrl + PAGE_PATH, {
    headers: { accept: "application/json", authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(5_000),
  }).catch(() => undefined);
  if (response?.status !== 200) return false;
  const page = (await response.json()) as { widgets?: Array<{ stale?: boolean }> };
  return page.widgets?.length === FULL_PAGE_WIDGETS && !page.widgets.some((widget) => widget.stale);
}

export async function readiness(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
  return response ? ((await response.json()) as { status: string }).status : "no answer";
}

/** Polls until `done`; throws after `timeoutMs`. */
export async function until(what: string, done: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await done())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

/**
 * Until /readyz says ready and `tokens`' pages come back whole, asked together: an open circuit
 * breaker closes only when a page's call probes the DDS, so readiness alone would wait forever.
 */
export async function untilRecovered(baseUrl: string, tokens: readonly string[], timeoutMs = 60_000): Promise<void> {
  let last = "";
  await until(
    "ready with whole pages",
    async () => {
      const [ready, ...whole] = await Promise.all([readiness(baseUrl), ...tokens.map((token) => isWhole(baseUrl, token))]);
      last = `/readyz ${ready}, ${whole.filter(Boolean).length} of ${tokens.length} pages whole`;
      return ready === "ready" && whole.every(Boolean);
    },
    timeoutMs,
  ).catch((error: Error) => {
    throw new Error(`${error.message} (last: ${last})`);
  });
}
