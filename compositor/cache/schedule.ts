/** When a published layout's resolution may next change by itself: its next schedule boundary. */
import type { PageLayout, ScheduleWindow } from "../../layout-service/model.ts";

export function nextScheduleChange(layout: PageLayout, nowMs: number): number {
  let next = Number.POSITIVE_INFINITY;
  const consider = (window: ScheduleWindow | undefined) => {
    for (const edge of [window?.from, window?.until]) {
      const at = edge ? Date.parse(edge) : Number.NaN;
      if (at > nowMs && at < next) next = at;
    }
  };
  for (const variant of layout.variants) {
    consider(variant.match.schedule);
    for (const placement of variant.placements) consider(placement.schedule);
  }
  return next;
}
