/**
 * Each user's last user-scoped widgets, reused when the binder's fetch brought back the same data.
 * A user-scoped widget is never shared and its data may change at any moment (a title watched, a
 * favorite added), so its binder fetches on every request; only binding and encoding are saved
 * when what the fetch returned, and the flags the binder read, equal what the kept output was made
 * from. An entry is keyed by the user and everything a shared widget's key holds, so it is given back
 * only to the user whose data made it, and only for the same placement, template and request.
 */
import { LRUCache } from "lru-cache";
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Flags } from "../../widget-registry/context.ts";
import { flagValues, type FlagRead } from "./flag-reads.ts";
import { sameData } from "./same-data.ts";

export interface UserWidget {
  /** What the binder's fetch returned, and the recommendation request id it carried. */
  data: unknown;
  recoRequestId: string;
  /** The flags read while it was made, and their values then. */
  reads: readonly FlagRead[];
  flagValues: string;
  /** Never mutated: the same object goes into every page of the user that reuses it. */
  widget: Widget;
  bytes: Uint8Array;
  nextCursor: string;
}

export interface UserWidgets {
  /** The kept widget under `key` when it was made from `data` and the same flag values. */
  reuse(key: string, data: unknown, recoRequestId: string, flags: Flags): UserWidget | undefined;
  keep(key: string, widget: UserWidget): void;
}

/** An entry's share of the bound, estimated: its bytes, about as much again for the widget's objects and for the data's, and its key. */
const sizeOf = (entry: UserWidget) => 3 * entry.bytes.length + 512;

/** `maxBytes` bounds the memory kept, as estimated by `sizeOf`. */
export function createUserWidgets(maxBytes: number): UserWidgets {
  const kept = new LRUCache<string, UserWidget>({ maxSize: Math.max(1, Math.floor(maxBytes)), sizeCalculation: sizeOf });
  return {
    reuse(key, data, recoRequestId, flags) {
      const entry = kept.get(key);
      if (!entry || entry.recoRequestId !== recoRequestId || !sameData(entry.data, data)) return undefined;
      return flagValues(entry.reads, flags) === entry.flagValues ? entry : undefined;
    },
    keep(key, widget) {
      if (sizeOf(widget) <= maxBytes) kept.set(key, widget);
    },
  };
}
