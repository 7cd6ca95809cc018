/**
 * The event loop's delay: how late a timer that should fire every TICK_MS fires. A drowned loop
 * may not fire it at all between two readings, so a tick overdue at the time of reading counts too
 * (perf_hooks.monitorEventLoopDelay records only ticks that happened, and loses the first after a
 * reset, which is why it is not used here).
 */

export interface LoopDelayMonitor {
  /** The worst delay (ms) since the last call, the tick overdue now included. */
  sinceLastRead(): number;
  /** The last reading. */
  last(): number;
  stop(): void;
}

const TICK_MS = 10;

export function startLoopDelayMonitor(now: () => number = () => performance.now()): LoopDelayMonitor {
  let expected = now() + TICK_MS;
  let worst = 0;
  let last = 0;
  const timer = setInterval(() => {
    const at = now();
    worst = Math.max(worst, at - expected);
    expected = at + TICK_MS;
  }, TICK_MS).unref();
  return {
    sinceLastRead() {
      last = Math.max(worst, now() - expected, 0);
      worst = 0;
      return last;
    },
    last: () => last,
    stop: () => clearInterval(timer),
  };
}
