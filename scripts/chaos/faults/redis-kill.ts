import { underLoad, type Fault } from "../fault.ts";
import { readiness, sleep, until } from "../probe.ts";

export const redisKill: Fault = {
  name: "redis-kill",
  title: "Redis killed (SIGKILL), restarted empty on its port 5 s later",
  run: async (stack) => {
    let degraded = "";
    const measured = await underLoad(stack, {
      async inject() {
        await stack.killRedis();
        await until("/readyz degraded", async () => (degraded = await readiness(stack.compositor.url)) === "degraded", 5_000);
        await sleep(5_000);
      },
      heal: () => stack.restartRedis(),
    });
    return { ...measured, clientGets: `/readyz ${degraded} meanwhile; ${measured.clientGets}` };
  },
};
