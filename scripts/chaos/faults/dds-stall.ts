import { underLoad, type Fault } from "../fault.ts";
import { sleep } from "../probe.ts";

export const ddsStall: Fault = {
  name: "dds-stall",
  title: "DDS stalled 5 s (SIGSTOP, then SIGCONT)",
  run: (stack) =>
    underLoad(stack, {
      async inject() {
        stack.dds.child.kill("SIGSTOP");
        await sleep(5_000);
      },
      heal: async () => void stack.dds.child.kill("SIGCONT"),
    }),
};
