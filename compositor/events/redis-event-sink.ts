/**
 * Events appended to one Redis stream (`XADD <key> MAXLEN ~ <bound> * field value …`, one entry per
 * event; one key, so it works on a Redis Cluster as on one Redis). Accepted events wait in a bounded
 * buffer and are written in batches, one pipeline at a time, each within a deadline. A full buffer,
 * a Redis that is down or a write that fails or misses its deadline drops events (counted); nothing
 * waits for Redis but the writer. A write that missed its deadline may still land: it is counted
 * as dropped all the same.
 */
import { redisReady, type RedisClient } from "../../redis/client.ts";
import type { DropReason, EventSink, RecordedEvent } from "./event-sink.ts";

export interface RedisEventSinkOptions {
  redis: RedisClient;
  /** The stream's key. */
  key: string;
  /** The stream keeps about this many entries (MAXLEN ~): the oldest go. */
  maxLength: number;
  /** Events waiting to be written at most; beyond, new ones are dropped. */
  bufferMax: number;
  /** Events per pipeline. */
  batchMax: number;
  /** Deadline of one pipeline. */
  writeTimeoutMs: number;
  onDropped: (reason: DropReason, count: number) => void;
  onError: (error: unknown) => void;
}

/** The stream entry's fields and values; an item's fields only for an item's event, the user only when signed in. */
export function streamFields(event: RecordedEvent): string[] {
  const fields = [
    "type", event.type,
    "pageViewId", event.pageViewId,
    "pageId", event.pageId,
    "instanceId", event.instanceId,
    "widgetPosition", String(event.widgetPosition),
    "variantId", event.variantId,
    "experimentFlag", event.experimentFlag,
    "experimentVariation", event.experimentVariation,
    "recoRequestId", event.recoRequestId,
    "timestamp", String(event.timestamp),
    "receivedAt", String(event.receivedAt),
  ]; // prettier-ignore
  if (event.contentId !== undefined) fields.push("contentId", event.contentId);
  if (event.itemPosition !== undefined) fields.push("itemPosition", String(event.itemPosition));
  if (event.userId) fields.push("userId", event.userId);
  return fields;
}

class WriteTimeout extends Error {}

export function redisEventSink(options: RedisEventSinkOptions): EventSink {
  const { redis, onDropped } = options;
  const buffer: string[][] = [];
  let closed = false;
  /** The writer while it runs: one pipeline in flight at a time. */
  let writer: Promise<void> | undefined;

  async function write(batch: readonly string[][]): Promise<void> {
    // Without an offline queue a command to a Redis that is down fails at once; this saves building it.
    if (!redisReady(redis)) return onDropped("sink-error", batch.length);
    const pipeline = redis.pipeline();
    for (const fields of batch) pipeline.xadd(options.key, "MAXLEN", "~", options.maxLength, "*", ...fields);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new WriteTimeout(`XADD of ${batch.length} events took over ${options.writeTimeoutMs} ms`)),
        options.writeTimeoutMs,
      );
    });
    try {
      const results = await Promise.race([pipeline.exec(), deadline]);
      const failed = results ? results.filter(([error]) => error) : [];
      if (!results || failed.length > 0) {
        onDropped("sink-error", results ? failed.length : batch.length);
        options.onError(failed[0]?.[0] ?? new Error("the pipeline was not run"));
      }
    } catch (error) {
      onDropped("sink-error", batch.length);
      options.onError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  async function drain(): Promise<void> {
    try {
      while (buffer.length > 0) await write(buffer.splice(0, options.batchMax));
    } finally {
      writer = undefined;
    }
  }

  return {
    accept(events) {
      if (closed) return onDropped("sink-error", events.length);
      const room = Math.max(0, options.bufferMax - buffer.length);
      for (const event of events.slice(0, room)) buffer.push(streamFields(event));
      if (events.length > room) onDropped("sink-full", events.length - room);
      if (!writer && buffer.length > 0) writer = drain();
    },
    async close(deadlineMs) {
      closed = true;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
      await Promise.race([writer, deadline]);
      clearTimeout(timer);
      if (buffer.length > 0) onDropped("sink-error", buffer.splice(0).length);
    },
  };
}
