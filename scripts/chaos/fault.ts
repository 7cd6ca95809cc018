/** A fault of `npm run chaos` and how one is measured: under steady signed-in load, until recovered. */
import { rssOf, share } from "../../bench/overload-run.ts";
import { sleep, untilRecovered } from "./probe.ts";
import type { Stack } from "./stack.ts";
import { startTraffic, tally } from "./traffic.ts";

/** A row of the table. */
export interface Measured {
  /** Every request of the fault and its recovery: the clients' and the fault's own. */
  requests: number;
  /** Of those, answered 5xx or not at all. */
  failed: number;
  /** Of the clients' pages (200) asked while the fault lasted. */
  p99Ms: number;
  /** From the fault's end until /readyz says ready and pages come back whole. */
  recoveredSeconds: number;
  /** What clients got, in words and figures. */
  clientGets: string;
}

export interface Fault {
  name: string;
  title: string;
  run(stack: Stack): Promise<Measured>;
}

/** Requests a fault sends itself, and what to say about them. */
export interface OwnRequests {
  requests: number;
  failed: number;
  note: string;
}

/** Users whose pages must come back whole for the compositor to count as recovered (four personas). */
export const probeTokens = (stack: Stack) => stack.tokens.slice(0, 4);

/**
 * Runs `inject` (the fault, for as long as it lasts) under the clients' load, then `heal`, then waits
 * until `recovered` (by default: ready and whole pages); tallies the clients' requests asked from the
 * fault's start until recovered.
 */
export async function underLoad(
  stack: Stack,
  steps: { inject(): Promise<OwnRequests | void>; heal?(): Promise<void>; recovered?(): Promise<void> },
): Promise<Measured> {
  const traffic = startTraffic(stack.compositor.url, stack.tokens);
  try {
    await sleep(1_000);
    const started = performance.now();
    const own = (await steps.inject()) ?? undefined;
    await steps.heal?.();
    const healed = performance.now();
    await (steps.recovered ?? (() => untilRecovered(stack.compositor.url, probeTokens(stack))))();
    const recovered = performance.now();
    await traffic.stop();
    const during = tally(traffic.answers, started, healed);
    const all = tally(traffic.answers, started, recovered);
    const pages =
      `while it lasted ${during.requests} requests: ${during.pages} pages (${share(during.whole, during.pages)} whole, ` +
      `${share(during.stale, during.pages)} with stale widgets, ${share(during.partial, during.pages)} with widgets left out), ` +
      `${during.overloaded} × 503 overloaded, ${during.failed - during.overloaded - during.noAnswer} other 5xx, ${during.noAnswer} unanswered`;
    return {
      requests: all.requests + (own?.requests ?? 0),
      failed: all.failed + (own?.failed ?? 0),
      p99Ms: during.p99Ms,
      recoveredSeconds: (recovered - healed) / 1000,
      clientGets: own ? `${own.note}; ${pages}` : pages,
    };
  } finally {
    await traffic.stop().catch(() => {});
  }
}

/** Samples a process's resident set every 100 ms; stop() gives what it was at the start and at most, in MB. */
export function sampleRss(pid: number): { stop(): { before: number; peak: number } } {
  const before = rssOf(pid).now;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssOf(pid).now)), 100);
  return {
    stop() {
      clearInterval(timer);
      return { before, peak: Math.max(peak, rssOf(pid).now) };
    },
  };
}
