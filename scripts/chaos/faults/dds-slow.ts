import { underLoad, type Fault } from "../fault.ts";
import { sleep } from "../probe.ts";

export const DDS_SLOW_MS = 300;

export const ddsSlow: Fault = {
  name: "dds-slow",
  title: `DDS answering ${DDS_SLOW_MS} ms late for 10 s (the compositor's DDS deadline: 200 ms)`,
  run: (stack) =>
    underLoad(stack, {
      async inject() {
        stack.setDdsLatency(DDS_SLOW_MS);
        await sleep(10_000);
      },
      heal: async () => stack.setDdsLatency(0),
    }),
};
