/** What the benches measure of a page and a server, beyond load: its bytes, the ceiling's copy of them, its CPU at c=1. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Running } from "./processes.ts";
import { cpuMsOf } from "./resources.ts";

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A page request of a scenario: Tessera's GET of the page, or the peer's POST of its query. */
export interface PageRequest {
  server: Running;
  path: string;
  headersFor?: (n: number) => Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
}

export interface FetchedPage {
  bytes: Buffer;
  headers: Headers;
}

export async function pageBytes(url: string, headers: Record<string, string>, path: string): Promise<FetchedPage> {
  const response = await fetch(url + path, { headers });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return { bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}

/**
 * The environment of bench/ceiling-server.ts answering these pages' bytes with their cache headers:
 * the signed-in page to requests with a token, the anonymous one to requests without.
 */
export function ceilingEnv(signedIn: FetchedPage, anonymous: FetchedPage): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "tessera-ceiling-"));
  const capture = (name: string, page: FetchedPage) => {
    writeFileSync(join(dir, name), page.bytes);
    const headers: Record<string, string> = {};
    for (const header of ["server-timing", "vary", "cache-control", "etag"]) {
      const value = page.headers.get(header);
      if (value) headers[header] = value;
    }
    return { file: join(dir, name), headers: JSON.stringify(headers) };
  };
  const signedInPage = capture("signed-in.bin", signedIn);
  const anonymousPage = capture("anonymous.bin", anonymous);
  return {
    CEILING_PAGE: signedInPage.file,
    CEILING_HEADERS: signedInPage.headers,
    CEILING_ANONYMOUS_PAGE: anonymousPage.file,
    CEILING_ANONYMOUS_HEADERS: anonymousPage.headers,
  };
}

/**
 * A page's cost at c=1: `count` pages one after another, the server's CPU time (user and system,
 * from /proc) per page and, for Tessera, the median of its `Server-Timing` total.
 */
export async function sequentialPages(
  page: PageRequest,
  count: number,
  serverTiming = true,
): Promise<{ cpuMs: number; serverTimingTotalMs: number }> {
  const totals: number[] = [];
  const pid = page.server.child.pid!;
  const cpuBefore = cpuMsOf(pid);
  for (let n = 0; n < count; n++) {
    const response = await fetch(page.server.url + page.path, { method: page.method, body: page.body, headers: page.headersFor?.(n * 7) });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${page.path}: ${response.status}`);
    const total = serverTiming ? /total;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "")?.[1] : undefined;
    if (total) totals.push(Number(total));
  }
  return { cpuMs: (cpuMsOf(pid) - cpuBefore) / count, serverTimingTotalMs: totals.length > 0 ? median(totals) : Number.NaN };
}
