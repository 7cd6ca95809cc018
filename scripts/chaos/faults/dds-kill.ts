import { underLoad, type Fault } from "../fault.ts";
import { sleep } from "../probe.ts";

export const ddsKill: Fault = {
  name: "dds-kill",
  title: "DDS killed (SIGKILL), restarted on its port 5 s later",
  run: (stack) =>
    underLoad(stack, {
      async inject() {
        await stack.dds.stop("SIGKILL");
        await sleep(5_000);
      },
      heal: () => stack.restartDds(),
    }),
};
