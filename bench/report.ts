/** The bench's table, as markdown. */
import type { Memory } from "./resources.ts";

export interface Figures {
  pagesPerSecond: number;
  p50: number;
  p99: number;
  ddsCallsPerPage: number;
  /** pages/s as a share of the ceiling's, median of the rounds' ratios. */
  ofCeiling?: number;
}

/** A server's cost of one signed-in page at c=1. */
export interface SequentialFigures {
  /** The server's CPU time (user and system) per page, ms. */
  cpuMs: number;
  /** Median of Tessera's `Server-Timing` total, ms; NaN for the peer. */
  serverTimingTotalMs: number;
}

export interface Report {
  machine: string;
  durationSeconds: number;
  rounds: number;
  ceiling: Figures;
  signedIn: Figures;
  /** The ceiling answering the anonymous page's bytes: what the anonymous page is measured against. */
  anonymousCeiling: Figures;
  anonymous: Figures;
  /** Tessera with WIDGET_CACHE=off: every page composed from the DDS. */
  cachesOff: Figures;
  /** The Mercurius peer (bench/peer/) composing the same page as JSON. */
  peer: Figures;
  /** Caches-off pages/s over the peer's, median of the rounds' ratios. */
  cachesOffOfPeer: number;
  /** Each server's memory right after the interleaved rounds. */
  memory: { ceiling: Memory; cachesOn: Memory; cachesOff: Memory; peer: Memory };
  sequentialPages: number;
  /** The ceiling's: what answering a request costs without composing. */
  sequential: { ceiling: SequentialFigures; cachesOn: SequentialFigures; cachesOff: SequentialFigures; peer: SequentialFigures };
  slow32: Figures;
  slow1: Figures;
  /** The reference page (client 5.0.0): full image URLs and deep links. */
  protobufBytes: number;
  jsonBytes: number;
  /** The same page for a client that derives them (README.md, "Compact items"). */
  compactProtobufBytes: number;
  compactJsonBytes: number;
  /** DDS calls of the server's first page, every cache empty. */
  coldDdsCalls: number;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

function row(name: string, ddsMs: number, connections: number, figures: Figures, isCeiling = false): string {
  const share = isCeiling ? "100 %" : figures.ofCeiling === undefined ? "" : `${fixed(figures.ofCeiling * 100, 0)} %`;
  const calls = isCeiling ? "–" : fixed(figures.ddsCallsPerPage, 2);
  return `| ${name} | ${ddsMs} ms | ${connections} | ${fixed(figures.pagesPerSecond, 0)} | ${share} | ${fixed(figures.p50, 2)} | ${fixed(figures.p99, 2)} | ${calls} |`;
}

const serverRow = (name: string, memory: Memory, sequential: SequentialFigures) =>
  `| ${name} | ${fixed(memory.rssMiB, 0)} | ${fixed(memory.peakMiB, 0)} | ${fixed(sequential.cpuMs, 2)} | ${fixed(sequential.serverTimingTotalMs, 2)} |`;

export function renderReport(report: Report): string {
  return [
    `Machine: ${report.machine}. ${report.rounds} round(s) of ${report.durationSeconds} s per scenario, the 0 ms scenarios interleaved; medians.`,
    "",
    "| scenario | DDS latency | connections | pages/s | of ceiling | p50 ms | p99 ms | DDS calls/page |",
    "|---|---|---|---|---|---|---|---|",
    row("ceiling: signed-in page's bytes, no composition", 0, 32, report.ceiling, true),
    row("signed-in reference page (u1..u1000, p0..p7)", 0, 32, report.signedIn),
    row("signed-in, WIDGET_CACHE=off (every page composed)", 0, 32, report.cachesOff),
    row("Mercurius peer: the same page as GraphQL JSON", 0, 32, report.peer),
    row("ceiling: anonymous page's bytes, no composition", 0, 32, report.anonymousCeiling, true),
    row("anonymous page, cache hit", 0, 32, report.anonymous),
    row("signed-in reference page", 5, 32, report.slow32),
    row("signed-in reference page", 5, 1, report.slow1),
    "",
    `Caches off ÷ Mercurius peer: ${fixed(report.cachesOffOfPeer, 2)} × (median of the rounds' ratios).`,
    "",
    `| server (0 ms DDS) | RSS after the rounds, MiB | peak RSS, MiB | CPU per page at c=1, ms | Server-Timing total at c=1, ms |`,
    "|---|---|---|---|---|",
    serverRow("ceiling (the page's bytes)", report.memory.ceiling, report.sequential.ceiling),
    serverRow("Tessera, caches on", report.memory.cachesOn, report.sequential.cachesOn),
    serverRow("Tessera, WIDGET_CACHE=off", report.memory.cachesOff, report.sequential.cachesOff),
    serverRow("Mercurius peer", report.memory.peer, report.sequential.peer),
    "",
    `c=1: ${report.sequentialPages} signed-in pages one after another per server after the rounds; CPU is the server process's ` +
      `user and system time (/proc) over them, per page; Server-Timing total is the median of Tessera's own figure (composition only).`,
    `Page bytes (signed-in, mean over p0..p7): protobuf ${fixed(report.protobufBytes, 0)}, JSON ${fixed(report.jsonBytes, 0)} ` +
      `(protobuf = ${fixed((report.protobufBytes / report.jsonBytes) * 100, 0)} % of JSON).`,
    `Page bytes of a client ≥ 6.0.0 (compact items, same pages): protobuf ${fixed(report.compactProtobufBytes, 0)}, ` +
      `JSON ${fixed(report.compactJsonBytes, 0)} (protobuf = ${fixed((report.compactProtobufBytes / report.compactJsonBytes) * 100, 1)} % of JSON).`,
    `DDS calls of the first signed-in page, every cache empty: ${fixed(report.coldDdsCalls, 0)}; warm pages: the table.`,
  ].join("\n");
}
