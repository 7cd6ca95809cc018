import { answersOf, overload, percentile, share } from "../../../bench/overload-run.ts";
import type { Fault } from "../fault.ts";
import { untilRecovered } from "../probe.ts";

const CONNECTIONS = 512;
const SECONDS = 10;

/** bench/overload.ts's run on a compositor of its own: caches off, the DDS in process (as `npm run bench:overload`). */
export const flood: Fault = {
  name: "flood",
  title: `${CONNECTIONS} connections at once for ${SECONDS} s, caches off`,
  run: async (stack) => {
    const server = await stack.startCompositor({ WIDGET_CACHE: "off", DDS_URL: "" });
    try {
      const tokens = stack.tokens;
      await untilRecovered(server.url, tokens.slice(0, 4));
      await overload({ url: server.url, pid: server.child.pid!, connections: 8, durationSeconds: 3, tokens });
      const tally = await overload({ url: server.url, pid: server.child.pid!, connections: CONNECTIONS, durationSeconds: SECONDS, tokens });
      const ended = performance.now();
      await untilRecovered(server.url, tokens.slice(0, 4));
      const recoveredSeconds = (performance.now() - ended) / 1000;
      const answers = answersOf(tally);
      const serverErrors =
        tally.overloaded + [...tally.other].filter(([status]) => status >= 500).reduce((sum, [, count]) => sum + count, 0);
      const other = [...tally.other].map(([status, count]) => `${count} × ${status}`).join(", ") || "no other answers";
      return {
        requests: answers + tally.errors,
        failed: serverErrors + tally.errors,
        p99Ms: percentile(Float64Array.from(tally.pageLatencies).sort(), 99),
        recoveredSeconds,
        clientGets:
          `${share(tally.pages, answers)} pages (${share(tally.fullPages, tally.pages)} of them whole), ` +
          `${share(tally.overloaded, answers)} 503 overloaded (${tally.overloadedWithRetryAfter === tally.overloaded ? "all" : tally.overloadedWithRetryAfter} with Retry-After), ` +
          `${other}, ${tally.errors} socket errors; peak RSS ${tally.peakRssMb.toFixed(0)} MB; p99 of pages`,
      };
    } finally {
      await server.stop();
    }
  },
};
