/** What every part of a page request knows about the caller: built once by the gateway. */

export const PLATFORMS = ["web", "android", "ios", "tv"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const FORM_FACTORS = ["phone", "tablet", "desktop", "tv"] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];

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

export interface RequestContext {
  requestId: string;
  /** "" for an anonymous caller. */
  userId: string;
  /** e.g. "kids"; "" for the general audience. */
  cohort: string;
  /** e.g. "p3"; always set (anonymous callers get one by rule). */
  persona: string;
  platform: Platform;
  formFactor: FormFactor;
  /** Semantic version, e.g. "5.0.0". */
  clientVersion: string;
  /** Language, e.g. "en" or "fr". */
  locale: string;
  /** ISO 3166-1 alpha-2, e.g. "FR"; "" when unknown. */
  region: string;
  flags: Flags;
}
