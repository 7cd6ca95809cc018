/**
 * Where accepted events go. A sink never makes a request wait and never fails it: what it cannot
 * keep it drops and counts, by reason.
 */
import type { ClientEvent } from "./event-batch.ts";

/** An event as recorded: the client's fields, the user of the verified token ("" when anonymous), the server's clock. */
export interface RecordedEvent extends ClientEvent {
  userId: string;
  receivedAt: number;
}

export type DropReason = "no-sink" | "sink-full" | "sink-error";

export interface EventSink {
  /** Takes events to be written; returns at once. */
  accept(events: readonly RecordedEvent[]): void;
  /** Writes what is still buffered within `deadlineMs`, drops (and counts) the rest, and takes no more. */
  close(deadlineMs: number): Promise<void>;
}

/** Without a place to write to (no Redis): every event is dropped and counted. */
export function discardingSink(onDropped: (reason: DropReason, count: number) => void): EventSink {
  return {
    accept: (events) => onDropped("no-sink", events.length),
    close: async () => {},
  };
}
