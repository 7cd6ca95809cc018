/** A request's flags: evaluated once, then read synchronously by the resolver and the binders. */
import type { Flags } from "../../widget-registry/context.ts";
import type { FlagValues } from "./evaluated-flags.ts";

/**
 * Flags over one evaluation of every flag. `onRead` hears the first read of each flag, e.g. to
 * record an evaluation event for LaunchDarkly's experiment analytics.
 */
export function flagsOf(values: FlagValues, onRead?: (flag: string) => void): Flags {
  const read = new Set<string>();
  const value = (flag: string): unknown => {
    if (onRead && !read.has(flag)) {
      read.add(flag);
      if (flag in values) onRead(flag);
    }
    return values[flag];
  };
  return {
    isOn(flag, fallback = false) {
      const current = value(flag);
      return typeof current === "boolean" ? current : fallback;
    },
    variation(flag, fallback) {
      const current = value(flag);
      return typeof current === "string" ? current : fallback;
    },
  };
}
