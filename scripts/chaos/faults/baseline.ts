import { underLoad, type Fault } from "../fault.ts";
import { sleep } from "../probe.ts";

/** The clients' load alone: what the machine gives before anything fails. */
export const baseline: Fault = {
  name: "baseline",
  title: "no fault: the clients' load alone for 10 s",
  run: (stack) => underLoad(stack, { inject: async () => void (await sleep(10_000)) }),
};
