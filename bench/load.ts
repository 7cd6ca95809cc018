/** Load runs with autocannon; latencies kept at full precision (autocannon's histogram rounds to ms). */
import autocannon, { type Request } from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Stop after this many requests instead of after the duration. */
  amount?: number;
  /** Headers of the n-th request, e.g. rotating bearer tokens. */
  headersFor?: (n: number) => Record<string, string>;
  /** GET when not given. */
  method?: "GET" | "POST";
  body?: string;
}

/** One or more runs of one scenario, added up. */
export interface LoadSample {
  /** 2xx responses. */
  ok: number;
  seconds: number;
  /** ms, of the 2xx responses. */
  latencies: number[];
  non2xx: number;
  errors: number;
}

export interface LoadResult {
  pagesPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

export const emptySample = (): LoadSample => ({ ok: 0, seconds: 0, latencies: [], non2xx: 0, errors: 0 });

export function addSample(into: LoadSample, sample: LoadSample): void {
  into.ok += sample.ok;
  into.seconds += sample.seconds;
  for (const latency of sample.latencies) into.latencies.push(latency);
  into.non2xx += sample.non2xx;
  into.errors += sample.errors;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarizeSample(sample: LoadSample): LoadResult {
  const sorted = Float64Array.from(sample.latencies).sort();
  return {
    pagesPerSecond: sample.ok / sample.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    ok: sample.ok,
    non2xx: sample.non2xx,
    errors: sample.errors,
  };
}

export async function loadSample(options: LoadOptions): Promise<LoadSample> {
  let n = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    amount: options.amount,
    // autocannon takes an undefined method as a method named "undefined".
    ...(options.method ? { method: options.method, body: options.body } : {}),
    requests: options.headersFor
      ? [{ setupRequest: (request: Request) => ({ ...request, headers: { ...request.headers, ...options.headersFor!(n++) } }) }]
      : undefined,
  });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  return { ok: result["2xx"], seconds: result.duration, latencies, non2xx: result.non2xx, errors: result.errors };
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  return summarizeSample(await loadSample(options));
}
