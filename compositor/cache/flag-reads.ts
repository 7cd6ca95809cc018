/**
 * Which feature flags a piece of output depended on. A binder or the resolver may read any flag,
 * so cached output records the flags read while it was made, and a lookup re-reads those flags for
 * the request at hand (as an HTTP cache honours `Vary`).
 */
import type { Flags } from "../../widget-registry/context.ts";

/** One read: `isOn(flag, fallback)` or `variation(flag, fallback)`. */
export type FlagRead = readonly ["isOn", string, boolean] | readonly ["variation", string, string];

export interface RecordingFlags extends Flags {
  /** The distinct reads so far, in order. */
  readonly reads: readonly FlagRead[];
}

export function recordFlagReads(flags: Flags): RecordingFlags {
  const reads: FlagRead[] = [];
  const seen = new Set<string>();
  const note = (read: FlagRead) => {
    const id = `${read[0]}:${read[1]}:${String(read[2])}`;
    if (!seen.has(id)) {
      seen.add(id);
      reads.push(read);
    }
  };
  return {
    reads,
    isOn(flag, fallback = false) {
      note(["isOn", flag, fallback]);
      return flags.isOn(flag, fallback);
    },
    variation(flag, fallback) {
      note(["variation", flag, fallback]);
      return flags.variation(flag, fallback);
    },
  };
}

/** The values of `reads` for a request, as a key part; "" when nothing was read. */
export function flagValues(reads: readonly FlagRead[], flags: Flags): string {
  if (reads.length === 0) return "";
  let key = "";
  for (const read of reads) {
    const value = read[0] === "isOn" ? flags.isOn(read[1], read[2]) : flags.variation(read[1], read[2]);
    key += `${read[0]}:${read[1]}=${String(value)};`;
  }
  return key;
}
