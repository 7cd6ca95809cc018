/**
 * How many compositions may run at once, adapted to how long they take, in the spirit of Netflix's
 * concurrency-limits Gradient2: every window, the limit is multiplied by a gradient
 * min(1, target / observed), at least one half. The observed figure is the window's 90th percentile
 * composition time, or the event loop's delay scaled to it, whichever is worse; the target is an
 * absolute time under the binders' deadlines, not a learned baseline, because the point is that an
 * admitted page is composed before its widgets' deadlines pass. When compositions keep under the
 * target and the limit was what held requests back, it grows by its square root (a slow start). A
 * window closes once compositions admitted in it have finished, or at once when the loop drowns.
 * Only compositions admitted after a window opened count in it: those admitted under an older,
 * higher limit would cut it twice.
 */

export interface ConcurrencyLimitOptions {
  /** The limit never goes below it: some work always goes on. */
  min: number;
  /** The limit never goes above it. */
  max: number;
  /** The limit at start. */
  initial: number;
  /** Composition time the limit aims to keep the 90th percentile under. */
  targetMs: number;
  /** Event-loop delay beyond which the loop counts as drowning. */
  maxLoopDelayMs: number;
  /** How often the limit is reconsidered. */
  windowMs: number;
  now: () => number;
  /** The event loop's delay (ms) since it was last asked. */
  loopDelayMs: () => number;
}

export interface ConcurrencyLimit {
  /** The number of compositions that may run at once; reconsidered first when a window has passed. */
  current(): number;
  /** A composition admitted at `startedAt` (ms, the `now` clock) finished after `durationMs`. */
  sample(startedAt: number, durationMs: number): void;
  /** A request found the limit reached. */
  reached(): void;
}

/** The most a window can cut the limit by: one slow window does not empty the server. */
const MIN_GRADIENT = 0.5;

export function createConcurrencyLimit(options: ConcurrencyLimitOptions): ConcurrencyLimit {
  let limit = Math.min(options.max, Math.max(options.min, options.initial));
  let windowStart = options.now();
  let durations: number[] = [];
  let reachedInWindow = false;
  options.loopDelayMs();

  /** The window's gradient from its compositions (none: 1) and the loop's delay, at least MIN_GRADIENT. */
  function gradient(loopDelay: number): number {
    durations.sort((a, b) => a - b);
    const p90 = durations[Math.min(durations.length - 1, Math.floor(durations.length * 0.9))];
    return Math.max(MIN_GRADIENT, Math.min(1, options.targetMs / (p90 ?? 0), options.maxLoopDelayMs / loopDelay));
  }

  function reconsider(now: number): void {
    const loopDelay = options.loopDelayMs();
    // A window without compositions stays open for those in flight, unless the loop is drowning.
    if (durations.length === 0 && loopDelay <= options.maxLoopDelayMs) return;
    const factor = gradient(loopDelay);
    if (factor < 1) limit = Math.max(options.min, limit * factor);
    else if (reachedInWindow) limit = Math.min(options.max, limit + Math.sqrt(limit));
    windowStart = now;
    durations = [];
    reachedInWindow = false;
  }

  return {
    current() {
      const now = options.now();
      if (now - windowStart >= options.windowMs) reconsider(now);
      return Math.floor(limit);
    },
    sample(startedAt, durationMs) {
      if (startedAt >= windowStart) durations.push(durationMs);
    },
    reached() {
      reachedInWindow = true;
    },
  };
}
