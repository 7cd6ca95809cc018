/** Prometheus metrics of composition, as compositor hooks; one registry per server. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { BreakerState } from "./dds-guard/circuit-breaker.ts";
import type { CompositorHooks } from "./hooks.ts";
import type { PageOutcome } from "./page-service.ts";
import type { DropReason } from "./events/event-sink.ts";

/** Why a batch of events was refused. */
export type EventRejection = "invalid" | "unauthenticated" | "too-large" | "rate-limited";

export interface Metrics {
  registry: Registry;
  hooks: CompositorHooks;
  /** Counts a failed or timed-out Redis call of the composition cache. */
  cacheFailed(): void;
  /** Exposes each DDS's circuit breaker state as a gauge read at scrape time. */
  observeBreakers(states: () => Record<string, BreakerState>): void;
  /** Exposes the count of requests not kept because a remote DDS answered behind a content change, read at scrape time. */
  observeBehindDds(count: () => number): void;
  /** Exposes whether the Redis connection is up, read at scrape time. */
  observeRedis(connected: () => boolean): void;
  /** Counts events of POST /v1/events: received by type, batches refused by reason, events dropped by reason. */
  eventsReceived(type: string, count: number): void;
  eventsRejected(reason: EventRejection): void;
  eventsDropped(reason: DropReason, count: number): void;
  /** Counts a page request by how it ended. */
  pageServed(pageId: string, outcome: PageOutcome): void;
}

const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, "half-open": 1, open: 2 };

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

  const pageLatency = new Histogram({
    name: "tessera_page_duration_seconds",
    help: "Page composition time",
    labelNames: ["page"],
    buckets: seconds,
    registers: [registry],
  });
  const widgetLatency = new Histogram({
    name: "tessera_widget_duration_seconds",
    help: "Binder fetch and bind time",
    labelNames: ["type"],
    buckets: seconds,
    registers: [registry],
  });
  const widgetErrors = new Counter({
    name: "tessera_widget_errors_total",
    help: "Widgets left out because their binder threw",
    labelNames: ["type"],
    registers: [registry],
  });
  const widgetTimeouts = new Counter({
    name: "tessera_widget_timeouts_total",
    help: "Widgets left out because their binder missed its deadline",
    labelNames: ["type"],
    registers: [registry],
  });
  const widgetDdsCalls = new Counter({
    name: "tessera_widget_dds_requests_total",
    help: "DDS requests binders made through the facade (before batching)",
    labelNames: ["type"],
    registers: [registry],
  });
  const ddsCalls = new Counter({
    name: "tessera_dds_calls_total",
    help: "Batch calls to each DDS",
    labelNames: ["dds", "method", "outcome"],
    registers: [registry],
  });
  const exposures = new Counter({
    name: "tessera_experiment_exposures_total",
    help: "Pages served under each experiment's variation",
    labelNames: ["flag", "variation"],
    registers: [registry],
  });
  const cacheLookups = new Counter({
    name: "tessera_cache_lookups_total",
    help: "Widget and page cache lookups",
    labelNames: ["layer", "outcome"],
    registers: [registry],
  });
  const cacheErrors = new Counter({
    name: "tessera_cache_errors_total",
    help: "Redis calls of the widget cache that failed or timed out (served without it)",
    registers: [registry],
  });
  const pages = new Counter({
    name: "tessera_pages_total",
    help: 'Page requests that reached composition, by outcome: ok, not_found, unavailable (an essential widget failed), error; page "" unless it exists',
    labelNames: ["page", "outcome"],
    registers: [registry],
  });
  const ddsBatchSize = new Histogram({
    name: "tessera_dds_batch_size",
    help: "Keys per DDS batch call",
    labelNames: ["dds", "method"],
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [registry],
  });

  const eventsReceived = new Counter({
    name: "tessera_events_received_total",
    help: "Impression and click events accepted at POST /v1/events, by type",
    labelNames: ["type"],
    registers: [registry],
  });
  const eventsRejected = new Counter({
    name: "tessera_events_rejected_total",
    help: "Batches of events refused: invalid (400, 415), unauthenticated (a token that does not verify), too-large (413), rate-limited (429)",
    labelNames: ["reason"],
    registers: [registry],
  });
  const eventsDropped = new Counter({
    name: "tessera_events_dropped_total",
    help: "Accepted events not written: no-sink (no Redis), sink-full (the buffer was full), sink-error (Redis failed or missed the deadline)",
    labelNames: ["reason"],
    registers: [registry],
  });

  // Every series from the start at 0, so that a rate over the first events (and an alert on it) sees them.
  for (const type of ["impression", "click"]) eventsReceived.inc({ type }, 0);
  for (const reason of ["invalid", "unauthenticated", "too-large", "rate-limited"]) eventsRejected.inc({ reason }, 0);
  for (const reason of ["no-sink", "sink-full", "sink-error"]) eventsDropped.inc({ reason }, 0);

  // Label children resolved once: a page makes a dozen lookups.
  const lookupCounter = (layer: string, outcome: string) => cacheLookups.labels({ layer, outcome });
  const lookupCounters = {
    widget: { hit: lookupCounter("widget", "hit"), miss: lookupCounter("widget", "miss") },
    "user-widget": { hit: lookupCounter("user-widget", "hit"), miss: lookupCounter("user-widget", "miss") },
    page: { hit: lookupCounter("page", "hit"), miss: lookupCounter("page", "miss") },
  };

  return {
    registry,
    cacheFailed: () => cacheErrors.inc(),
    pageServed: (page, outcome) => pages.inc({ page, outcome }),
    eventsReceived: (type, count) => eventsReceived.inc({ type }, count),
    eventsRejected: (reason) => eventsRejected.inc({ reason }),
    eventsDropped: (reason, count) => eventsDropped.inc({ reason }, count),
    observeRedis(connected) {
      new Gauge({
        name: "tessera_redis_connected",
        help: "1 while the Redis connection is ready, 0 while it is not (the instance serves from memory)",
        registers: [registry],
        collect() {
          this.set(connected() ? 1 : 0);
        },
      });
    },
    observeBreakers(states) {
      new Gauge({
        name: "tessera_dds_circuit_state",
        help: "Circuit breaker of each DDS: 0 closed, 1 half-open (probing), 2 open (calls fail fast)",
        labelNames: ["dds"],
        registers: [registry],
        collect() {
          for (const [dds, state] of Object.entries(states())) this.set({ dds }, BREAKER_VALUES[state]);
        },
      });
    },
    observeBehindDds(count) {
      new Counter({
        name: "tessera_cache_not_kept_dds_behind_total",
        help: "Requests served but not cached because the remote DDS had not yet applied a content change this process had",
        registers: [registry],
        collect() {
          this.reset();
          this.inc(count());
        },
      });
    },
    hooks: {
      pageComposed: (event) => {
        pageLatency.observe({ page: event.pageId }, event.durationMs / 1000);
        for (const { flag, variation } of event.experiments) exposures.inc({ flag, variation });
      },
      widgetSettled: (event) => {
        // A widget from the cache did no work worth a latency sample; the cache counters count it.
        if (event.cached) return;
        widgetLatency.observe({ type: event.type }, event.durationMs / 1000);
        widgetDdsCalls.inc({ type: event.type }, event.ddsCalls);
        if (event.outcome === "error") widgetErrors.inc({ type: event.type });
        if (event.outcome === "timeout") widgetTimeouts.inc({ type: event.type });
      },
      cacheLookup: (event) => lookupCounters[event.layer][event.hit ? "hit" : "miss"].inc(),
      ddsCall: (event) => {
        ddsCalls.inc({ dds: event.dds, method: event.method, outcome: event.failed ? "error" : "ok" });
        ddsBatchSize.observe({ dds: event.dds, method: event.method }, event.batchSize);
      },
    },
  };
}
