/** What every part of a page request knows about the caller: built once by the gateway. */

import type { RequestDimensions } from "./request-dimensions.ts";

export { FORM_FACTORS, PLATFORMS, type FormFactor, type Platform } from "./request-dimensions.ts";

/** Feature flags evaluated for this request (LaunchDarkly), read synchronously by binders. */
export interface Flags {
  /** A boolean flag's value, or `fallback` when the flag is unknown. */
  isOn(flag: string, fallback?: boolean): boolean;
  /** A string flag's variation, or `fallback` when the flag is unknown. */
  variation(flag: string, fallback: string): string;
}

export const NO_FLAGS: Flags = {
  isOn: (_flag, fallback = false) => fallback,
  variation: (_flag, fallback) => fallback,
};

/** The caller and the request's dimensions (request-dimensions.ts: platform, client version, locale, region, cohort, persona…). */
export interface RequestContext extends RequestDimensions {
  requestId: string;
  /** "" for an anonymous caller. */
  userId: string;
  flags: Flags;
  /** The page's parameters (e.g. the title page's contentId), each validated against the page's layout; frozen, {} for none. */
  params: Readonly<Record<string, string>>;
}
