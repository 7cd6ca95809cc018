/** What the widgets of one shown page share: where it came from, its impressions, its lifetime. */
import type { PageRef } from "./api.ts";
import type { ImpressionTracker } from "./logging.ts";

export interface PageView {
  ref: PageRef;
  /** The page's `image_base_url`, kept for the widgets fetched later: a widget response carries none of its own. */
  imageBaseUrl: string;
  impressions: ImpressionTracker;
  /** Aborted when the user leaves the page: its timers and observers stop. */
  signal: AbortSignal;
  /** Opens another page (an `open_page` action), with a history entry. */
  open(ref: PageRef): void;
}
