/**
 * The clients of a chaos run: signed-in users asking for the home page as JSON at a steady rate, every
 * answer kept with its time, status and whether the page was whole (all its widgets, none stale).
 */
import autocannon, { type Request } from "autocannon";
import { FULL_PAGE_WIDGETS, PAGE_PATH, percentile } from "../../bench/overload-run.ts";

export interface Answer {
  /** performance.now() when asked and answered. */
  startMs: number;
  endMs: number;
  /** 0: no answer (a socket error or a timeout). */
  status: number;
  whole: boolean;
  /** A page with at least one widget served stale. */
  stale: boolean;
  /** A page with fewer widgets than a whole one: some left out. */
  partial: boolean;
  /** `code` of an error body. */
  code?: string;
}

export interface Traffic {
  answers: Answer[];
  stop(): Promise<void>;
}

interface JsonPage {
  widgets?: Array<{ stale?: boolean }>;
  code?: string;
}

/** What a page or error body says, for the answer that autocannon reports right after it (same tick). */
type BodyFacts = Pick<Answer, "whole" | "stale" | "partial" | "code">;

function readBody(status: number, body: string): BodyFacts {
  let parsed: JsonPage = {};
  try {
    parsed = JSON.parse(body) as JsonPage;
  } catch {
    // not JSON: neither a page nor an error of the catalogue
  }
  if (status !== 200) return { whole: false, stale: false, partial: false, code: parsed.code };
  const stale = parsed.widgets?.some((widget) => widget.stale) ?? false;
  const partial = (parsed.widgets?.length ?? 0) < FULL_PAGE_WIDGETS;
  return { whole: !partial && !stale, stale, partial };
}

/** The clients of every fault: well below what the machine composes, so that what fails is the fault. */
export const CLIENTS = { connections: 8, rate: 25 };

/** `connections` clients, each asking `rate` times a second at most, until stop(). */
export function startTraffic(
  baseUrl: string,
  tokens: readonly string[],
  { connections = CLIENTS.connections, rate = CLIENTS.rate } = {},
): Traffic {
  const answers: Answer[] = [];
  let n = 0;
  let body: BodyFacts = { whole: false, stale: false, partial: false };
  const instance = autocannon({
    url: baseUrl + PAGE_PATH,
    connections,
    connectionRate: rate,
    duration: 3600,
    requests: [
      {
        setupRequest: (request: Request) => ({
          ...request,
          headers: { ...request.headers, accept: "application/json", authorization: `Bearer ${tokens[n++ % tokens.length]}` },
        }),
        onResponse: (status, text) => (body = readBody(status, text)),
      },
    ],
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    const endMs = performance.now();
    answers.push({ startMs: endMs - responseTime, endMs, status, ...body });
  });
  instance.on("reqError", () => {
    const now = performance.now();
    answers.push({ startMs: now, endMs: now, status: 0, whole: false, stale: false, partial: false });
  });
  let stopped: Promise<void> | undefined;
  return {
    answers,
    stop: () =>
      (stopped ??= (async () => {
        instance.stop();
        await instance;
      })()),
  };
}

export interface Tally {
  requests: number;
  /** 200 answers. */
  pages: number;
  /** Answers 5xx, or none at all. */
  failed: number;
  /** Of those, 503 `overloaded` (load shedding). */
  overloaded: number;
  noAnswer: number;
  whole: number;
  stale: number;
  partial: number;
  /** Of the pages. */
  p99Ms: number;
}

/** The answers to requests asked in [fromMs, toMs). */
export function tally(answers: readonly Answer[], fromMs: number, toMs: number): Tally {
  const asked = answers.filter((answer) => answer.startMs >= fromMs && answer.startMs < toMs);
  const pages = asked.filter((a) => a.status === 200);
  const sorted = Float64Array.from(pages.map((a) => a.endMs - a.startMs)).sort();
  return {
    requests: asked.length,
    pages: pages.length,
    failed: asked.filter((a) => a.status === 0 || a.status >= 500).length,
    overloaded: asked.filter((a) => a.status === 503 && a.code === "overloaded").length,
    noAnswer: asked.filter((a) => a.status === 0).length,
    whole: asked.filter((a) => a.whole).length,
    stale: asked.filter((a) => a.stale).length,
    partial: asked.filter((a) => a.partial).length,
    p99Ms: percentile(sorted, 99),
  };
}
