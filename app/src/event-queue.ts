/**
 * Impressions and clicks wait here and go to POST /v1/events in batches of at most 100: every few
 * seconds, and when the page is hidden or left (fetch keepalive, which also carries the bearer
 * token, unlike sendBeacon). The queue is bounded: past its bound the oldest events are dropped.
 */
import { sendEvents, type ClientEvent } from "./api.ts";

const BATCH_MAX = 100;
const QUEUE_MAX = 1000;
const FLUSH_EVERY_MS = 3000;

const queue: ClientEvent[] = [];

export function enqueue(event: ClientEvent): void {
  queue.push(event);
  if (queue.length > QUEUE_MAX) queue.splice(0, queue.length - QUEUE_MAX);
}

/** Sends what is queued. A failed batch is dropped, not retried: analytics must never pile up in the app. */
function flush(keepalive: boolean): void {
  while (queue.length > 0) {
    const batch = queue.splice(0, BATCH_MAX);
    sendEvents(batch, keepalive).catch((error: unknown) => console.warn(`dropped ${batch.length} events:`, error));
  }
}

export function startSendingEvents(): void {
  setInterval(() => flush(false), FLUSH_EVERY_MS);
  addEventListener("pagehide", () => flush(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush(true);
  });
}
