/** The bench's table, as markdown. */

export interface Figures {
  pagesPerSecond: number;
  p50: number;
  p99: number;
  ddsCallsPerPage: number;
  /** pages/s as a share of the ceiling's, median of the rounds' ratios. */
  ofCeiling?: number;
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
  slow32: Figures;
  slow1: Figures;
  protobufBytes: number;
  jsonBytes: number;
  /** DDS calls of the server's first page, every cache empty. */
  coldDdsCalls: number;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : "–");

function row(name: string, ddsMs: number, connections: number, figures: Figures, isCeiling = false): string {
  const share = isCeiling ? "100 %" : figures.ofCeiling === undefined ? "" : `${fixed(figures.ofCeiling * 100, 0)} %`;
  const calls = isCeiling ? "–" : fixed(figures.ddsCallsPerPage, 2);
  return `| ${name} | ${ddsMs} ms | ${connections} | ${fixed(figures.pagesPerSecond, 0)} | ${share} | ${fixed(figures.p50, 2)} | ${fixed(figures.p99, 2)} | ${calls} |`;
}

export function renderReport(report: Report): string {
  return [
    `Machine: ${report.machine}. ${report.rounds} round(s) of ${report.durationSeconds} s per scenario; medians.`,
    "",
    "| scenario | DDS latency | connections | pages/s | of ceiling | p50 ms | p99 ms | DDS calls/page |",
    "|---|---|---|---|---|---|---|---|",
    row("ceiling: signed-in page's bytes, no composition", 0, 32, report.ceiling, true),
    row("signed-in reference page (u1..u1000, p0..p7)", 0, 32, report.signedIn),
    row("ceiling: anonymous page's bytes, no composition", 0, 32, report.anonymousCeiling, true),
    row("anonymous page, cache hit", 0, 32, report.anonymous),
    row("signed-in reference page", 5, 32, report.slow32),
    row("signed-in reference page", 5, 1, report.slow1),
    "",
    `Page bytes (signed-in, mean over p0..p7): protobuf ${fixed(report.protobufBytes, 0)}, JSON ${fixed(report.jsonBytes, 0)} ` +
      `(protobuf = ${fixed((report.protobufBytes / report.jsonBytes) * 100, 0)} % of JSON).`,
    `DDS calls of the first signed-in page, every cache empty: ${fixed(report.coldDdsCalls, 0)}; warm pages: the table.`,
  ].join("\n");
}
