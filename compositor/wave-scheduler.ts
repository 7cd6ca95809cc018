/**
 * Decides when a request's pending DDS keys go out. Dispatched once per tick (DataLoader's default),
 * keys that binders ask for in different ticks (as lists arrive at different times) would become
 * separate calls. Here a DDS's pending keys are dispatched only when no DDS call of the request is
 * in flight (it could unblock binders that add more keys) and every binder has run on as far as it
 * can (checked once the microtask queue has drained). A page waits for its slowest widget anyway,
 * so holding keys back costs no latency, and each wave costs one call per DDS method.
 */

/**
 * Told when a request starts waiting on the DDS (a call of it in flight for longer than WAIT_AFTER_MS)
 * and when it stops (its last call settled).
 */
export interface DdsWaits {
  waiting(): void;
  working(): void;
}

/**
 * How long a request's DDS calls are in flight before it counts as waiting on the DDS. An in-process
 * DDS answers within the same turn of the event loop, its work this process's CPU: such calls never
 * make the request wait (admission keeps its slot taken), or every wave would let one more page in.
 */
const WAIT_AFTER_MS = 1;

export class WaveScheduler {
  private inFlight = 0;
  private pending: Array<() => void> = [];
  private checkQueued = false;
  private busySince = 0;
  /** Wall time during which at least one DDS call was in flight. */
  busyMs = 0;
  calls = 0;
  /** DDS calls that failed, and the last one's error: binders may swallow them, the pipeline must not. */
  failures = 0;
  lastFailure: unknown;
  private readonly waits: DdsWaits | undefined;
  /** Set while calls are in flight and the request does not count as waiting yet. */
  private waitTimer: NodeJS.Timeout | undefined;
  private waitingOnDds = false;

  constructor(waits?: DdsWaits) {
    this.waits = waits;
  }

  private readonly startWaiting = (): void => {
    this.waitTimer = undefined;
    this.waitingOnDds = true;
    this.waits!.waiting();
  };

  /** A loader's batch scheduler (key-batcher.ts): hold the dispatch until the wave is complete. */
  readonly schedule = (dispatch: () => void): void => {
    this.pending.push(dispatch);
    this.queueCheck();
  };

  /** Counts a DDS call as in flight until it settles. */
  track<T>(call: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) {
      this.busySince = performance.now();
      if (this.waits) this.waitTimer = setTimeout(this.startWaiting, WAIT_AFTER_MS);
    }
    this.calls++;
    const settle = () => {
      if (--this.inFlight === 0) {
        this.busyMs += performance.now() - this.busySince;
        clearTimeout(this.waitTimer);
        this.waitTimer = undefined;
        if (this.waitingOnDds) {
          this.waitingOnDds = false;
          this.waits!.working();
        }
      }
      this.queueCheck();
    };
    const promise = call();
    promise.then(settle, (error: unknown) => {
      this.failures++;
      this.lastFailure = error;
      settle();
    });
    return promise;
  }

  private queueCheck(): void {
    if (this.checkQueued) return;
    this.checkQueued = true;
    // setImmediate runs after every microtask, i.e. after binders resumed by settled calls ran on.
    setImmediate(() => {
      this.checkQueued = false;
      if (this.inFlight > 0 || this.pending.length === 0) return;
      const wave = this.pending;
      this.pending = [];
      for (const dispatch of wave) dispatch();
    });
  }
}
