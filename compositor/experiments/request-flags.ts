/** A request's flags: evaluated once, then read synchronously by the resolver and the binders. */
import type { LDFlagsState } from "@launchdarkly/node-server-sdk";
import type { Flags } from "../../widget-registry/context.ts";

/**
 * Flags over one evaluation of every flag. `onRead` hears the first read of each flag, e.g. to
 * record an evaluation event for LaunchDarkly's experiment analytics.
 */
export function flagsOf(state: LDFlagsState, onRead?: (flag: string) => void): Flags {
  const values = state.valid ? state.allValues() : {};
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
