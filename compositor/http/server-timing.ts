import type { CompositionTiming } from "../composition/composition.ts";

const ms = (value: number) => value.toFixed(2);

/** `Server-Timing`: where the page's time went, with the DDS call count. */
export function serverTiming(timing: CompositionTiming): string {
  return [
    `layout;dur=${ms(timing.layoutMs)}`,
    `dds;dur=${ms(timing.ddsMs)};desc="${timing.ddsCalls} calls"`,
    `bind;dur=${ms(timing.bindMs)}`,
    `total;dur=${ms(timing.totalMs)}`,
  ].join(", ");
}
