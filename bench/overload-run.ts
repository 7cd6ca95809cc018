/**
 * One overload run: signed-in pages as JSON from many connections at once, tallied: pages, whole
 * pages, page latencies, 503 `overloaded` answers (with Retry-After or not), other answers, and the
 * server's peak RSS. `npm run bench:overload` and `npm run chaos` both run it.
 */
import { readFileSync } from "node:fs";
import autocannon, { type Request } from "autocannon";

export const PAGE_PATH = "/v1/pages/home?platform=web&clientVersion=5.0.0";
/** Widgets of the signed-in reference page when nothing is left out. */
export const FULL_PAGE_WIDGETS = 14;

export interface Tally {
  pages: number;
  fullPages: number;
  /** Why pages were not whole (their `errors`), the first few. */
  partial: string[];
  pageLatencies: number[];
  overloaded: number;
  overloadedWithRetryAfter: number;
  other: Map<number, number>;
  errors: number;
  seconds: number;
  peakRssMb: number;
}

/** Resident set of a process now, and its peak since it started (VmHWM), in MB. */
export function rssOf(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { now: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}

export interface OverloadOptions {
  /** The server's base URL and process id (for its RSS). */
  url: string;
  pid: number;
  connections: number;
  durationSeconds: number;
  /** Requests per second per connection; without it each connection asks again as soon as it is answered. */
  connectionRate?: number;
  /** Bearer tokens, one per request in turn. */
  tokens: readonly string[];
}

export async function overload({ url, pid, connections, durationSeconds, connectionRate, tokens }: OverloadOptions): Promise<Tally> {
  const tally: Tally = {
    pages: 0,
    fullPages: 0,
    partial: [],
    pageLatencies: [],
    overloaded: 0,
    overloadedWithRetryAfter: 0,
    other: new Map(),
    errors: 0,
    seconds: 0,
    peakRssMb: 0,
  };
  let n = 0;
  const instance = autocannon({
    url: url + PAGE_PATH,
    connections,
    connectionRate,
    duration: durationSeconds,
    requests: [
      {
        setupRequest: (request: Request) => ({
          ...request,
          headers: { ...request.headers, accept: "application/json", authorization: `Bearer ${tokens[n++ % tokens.length]}` },
        }),
        onResponse: (status, body, _context, headers) => {
          if (status === 200) {
            tally.pages++;
            // Protobuf JSON leaves an empty list out.
            const page = JSON.parse(body) as { widgets?: unknown[]; errors?: Array<{ instanceId: string; message: string }> };
            if (page.widgets?.length === FULL_PAGE_WIDGETS) tally.fullPages++;
            else if (tally.partial.length < 20)
              tally.partial.push(page.errors?.map((e) => `${e.instanceId}: ${e.message}`).join("; ") ?? "");
          } else if (status === 503 && body.includes('"overloaded"')) {
            tally.overloaded++;
            if (headers["retry-after"] !== undefined) tally.overloadedWithRetryAfter++;
          } else {
            tally.other.set(status, (tally.other.get(status) ?? 0) + 1);
          }
        },
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status === 200) tally.pageLatencies.push(responseTime);
  });
  const rss = setInterval(() => (tally.peakRssMb = Math.max(tally.peakRssMb, rssOf(pid).now)), 100);
  const result = await instance;
  clearInterval(rss);
  tally.errors = result.errors;
  tally.seconds = result.duration;
  tally.peakRssMb = Math.max(tally.peakRssMb, rssOf(pid).peak);
  return tally;
}

export const percentile = (sorted: Float64Array, p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Share of `count` in `of`, as "12.3 %", or "–" of nothing. */
export const share = (count: number, of: number) => (of === 0 ? "–" : `${((100 * count) / of).toFixed(1)} %`);

/** Answers of every kind. */
export const answersOf = (tally: Tally) => tally.pages + tally.overloaded + [...tally.other.values()].reduce((a, b) => a + b, 0);
