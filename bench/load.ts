/** One load run with autocannon; latencies kept at full precision (autocannon's histogram rounds to ms). */
import autocannon, { type Request } from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Headers of the n-th request, e.g. rotating bearer tokens. */
  headersFor?: (n: number) => Record<string, string>;
}

export interface LoadResult {
  pagesPerSecond: number;
  p50: number;
  p99: number;
  /** 2xx responses. */
  ok: number;
  non2xx: number;
  errors: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    requests: options.headersFor
      ? [{ setupRequest: (request: Request) => ({ ...request, headers: { ...request.headers, ...options.headersFor!(n++) } }) }]
      : undefined,
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  return {
    pagesPerSecond: result["2xx"] / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
