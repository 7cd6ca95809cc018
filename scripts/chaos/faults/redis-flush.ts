import { Code, ConnectError } from "@connectrpc/connect";
import { connectRedis } from "../../../redis/client.ts";
import { operatorClient, publishProbe, whenServed } from "../../../test/support/compositor-pair.ts";
import { probeTokens, underLoad, type Fault } from "../fault.ts";
import { sleep, untilRecovered } from "../probe.ts";

export const redisFlush: Fault = {
  name: "redis-flush",
  title: "Redis lost its data (FLUSHALL); 2 s later a layout published",
  run: async (stack) => {
    const client = await operatorClient(stack.compositor.url, stack.operatorToken);
    let refused = 0;
    /** Publishes the probe page as an operator's client would: again after Retry-After (1 s) when refused 503 overloaded. */
    const publish = async (round: number) => {
      for (;;) {
        try {
          return await publishProbe(client, round);
        } catch (error) {
          if (!(error instanceof ConnectError && error.code === Code.Unavailable) || refused >= 30) throw error;
          refused++;
          await sleep(1_000);
        }
      }
    };
    const before = await publish(1);
    await whenServed(stack.compositor.url, before);
    refused = 0;
    let after = 0;
    const measured = await underLoad(stack, {
      async inject() {
        const admin = await connectRedis({ url: stack.redisUrl }, { onError: () => {} });
        await admin.flushall();
        admin.disconnect();
        await sleep(2_000);
      },
      // Recovered: the next publish, based on what the layout API shows after the loss, is served.
      async recovered() {
        after = await publish(2);
        await whenServed(stack.compositor.url, after, 30_000);
        await untilRecovered(stack.compositor.url, probeTokens(stack));
      },
    });
    return {
      ...measured,
      clientGets:
        `the probe page published before the loss: version ${before}; after it: version ${after}, served` +
        `${refused ? ` (the publish refused ${refused} × 503 overloaded first: writes are shed first; sent again after Retry-After)` : ""}; ${measured.clientGets}`,
    };
  },
};
