import { FUZZ_SEED, runFuzz, SHED } from "../../../test/fuzz/run-fuzz.ts";
import { createSender } from "../../../test/fuzz/send.ts";
import { sampleRss, underLoad, type Fault } from "../fault.ts";

export const FUZZ_REQUESTS = 5_000;

/** The fuzz suite's requests (test/fuzz/), its seed, sent to the compositor process under the clients' load. */
export const fuzz: Fault = {
  name: "fuzz",
  title: `the fuzz run: ${FUZZ_REQUESTS.toLocaleString("en")} hostile requests on every surface, 24 at a time`,
  run: (stack) =>
    underLoad(stack, {
      async inject() {
        const sender = createSender({ port: Number(new URL(stack.compositor.url).port), h2Port: stack.grpcPort, timeoutMs: 20_000 });
        const rss = sampleRss(stack.compositor.child.pid!);
        try {
          const ctx = { operatorToken: stack.operatorToken, userToken: stack.tokens[41]! };
          const { failures, statuses, shed } = await runFuzz({ sender, ctx, seed: FUZZ_SEED, requests: FUZZ_REQUESTS, concurrency: 24 });
          const { before, peak } = rss.stop();
          const failed = [...statuses].filter(([status]) => status === 0 || status >= 500).reduce((sum, [, count]) => sum + count, 0);
          const problems = [...failures.values()].reduce((sum, { count }) => sum + count, 0);
          // Beyond load shedding's 503s: what the fuzz suite itself would fail on.
          const others = [...failures].filter(([what]) => !what.endsWith(`: ${SHED}`));
          const worst = others.slice(0, 3).map(([what, { count }]) => `${count} × ${what}`);
          return {
            requests: FUZZ_REQUESTS,
            failed,
            note:
              `fuzz: ${problems} answers the fuzz verdict refuses, ${shed} of them 503 overloaded (load shedding)` +
              `${worst.length ? `, others: ${worst.join("; ")}` : ", no other"}; ${failed} fuzz requests 5xx or unanswered; ` +
              `compositor RSS ${before.toFixed(0)} MB, at most ${peak.toFixed(0)} MB`,
          };
        } finally {
          sender.close();
        }
      },
    }),
};
