import { gzipBomb } from "../../../test/fuzz/mutators.ts";
import { sampleRss, underLoad, type Fault } from "../fault.ts";

const SENT = 20;
const AT_ONCE = 4;
const GET_PAGE = "/tessera.page.v1.PageService/GetPage";

/** 400 MiB of JSON whitespace gzipped to 398 KiB, sent unauthenticated to the Connect GetPage, under the clients' load. */
export const gzipBody: Fault = {
  name: "gzip-body",
  title: `the 398 KB gzip body of 400 MB JSON whitespace to GetPage, ${SENT} times, ${AT_ONCE} at a time`,
  run: (stack) =>
    underLoad(stack, {
      async inject() {
        const bomb = gzipBomb(100);
        const rss = sampleRss(stack.compositor.child.pid!);
        const answers = new Map<string, number>();
        // The event loop: a /healthz asked every 20 ms meanwhile, its slowest answer kept.
        let slowestHealthMs = 0;
        let sending = true;
        const health = (async () => {
          while (sending) {
            const started = performance.now();
            await fetch(`${stack.compositor.url}/healthz`).catch(() => undefined);
            slowestHealthMs = Math.max(slowestHealthMs, performance.now() - started);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })();
        let next = 0;
        const send = async () => {
          while (next++ < SENT) {
            const response = await fetch(stack.compositor.url + GET_PAGE, {
              method: "POST",
              headers: { "content-type": "application/json", "content-encoding": "gzip" },
              body: bomb,
              signal: AbortSignal.timeout(30_000),
            }).catch(() => undefined);
            const code = response ? ((await response.json().catch(() => ({}))) as { code?: string }).code : undefined;
            const key = response ? `${response.status} ${code ?? ""}`.trim() : "no answer";
            answers.set(key, (answers.get(key) ?? 0) + 1);
          }
        };
        await Promise.all(Array.from({ length: AT_ONCE }, send));
        sending = false;
        await health;
        const { before, peak } = rss.stop();
        const failed = [...answers]
          .filter(([key]) => key === "no answer" || Number(key.split(" ")[0]) >= 500)
          .reduce((s, [, n]) => s + n, 0);
        return {
          requests: SENT,
          failed,
          note:
            `the bodies: ${[...answers].map(([key, count]) => `${count} × ${key}`).join(", ")} (${(bomb.length / 1024).toFixed(0)} KiB each); ` +
            `compositor RSS ${before.toFixed(0)} MB, at most ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)}); slowest /healthz meanwhile ${slowestHealthMs.toFixed(0)} ms`,
        };
      },
    }),
};
