/**
 * Admission control: load shedding before the event loop drowns. Work takes a slot under an adaptive
 * concurrency limit (concurrency-limit.ts); beyond it a request is refused at once with 503
 * `overloaded` and Retry-After, rather than queued behind work that would miss its deadlines.
 *
 * - Pages may use the whole limit, and wait in a small FIFO queue for a slot for a short time.
 * - Previews and writes (layout writes, the user's writes) are shed first: together they may use a
 *   quarter of the limit, and never wait.
 * - Only page compositions adapt the limit: theirs is the time the target is about.
 *
 * The limit protects this process's CPU, so a slot counts only while its work runs here: a page
 * composition waiting on the DDS (a call of its in flight for more than 1 ms, wave-scheduler.ts) gives its slot up to the next request
 * meanwhile, takes it back when the DDS answers without queueing again (it was admitted), and the
 * wait is left out of the limit's samples. A slow or stalled DDS thus costs pages their widgets'
 * freshness (its deadlines, breakers and stale copies see to that), never a 503: the limit refuses
 * only when compositions' own work is more than the process can do.
 *
 * Whatever takes no slot (pages served whole from the page cache, health checks, metrics, layout
 * reads) is never shed. The state is in /metrics (admission-metrics.ts).
 */
import { overloaded, type ApiError } from "../../api/errors.ts";
import { createConcurrencyLimit } from "./concurrency-limit.ts";
import { startLoopDelayMonitor } from "./loop-delay.ts";

export const WORK_CLASSES = ["page", "preview", "write"] as const;
export type WorkClass = (typeof WORK_CLASSES)[number];

/** Why a request was refused: no slot and no room in the queue, no slot within the queue's deadline, or its class's share used up. */
export const SHED_REASONS = ["limit", "queue-timeout", "low-priority"] as const;
export type ShedReason = (typeof SHED_REASONS)[number];

/** An admitted request's slot. */
export interface Slot {
  /** The work waits on its dependencies (a DDS call in flight): the slot is free for others until `working`. */
  waiting(): void;
  /** The dependencies answered: the work counts again, at once, even past the limit. */
  working(): void;
  /** Gives the slot back, the time spent waiting left out of the limit's sample; once only, later calls do nothing. */
  release(): void;
}

export interface AdmissionSettings {
  /** The adaptive limit's ceiling. */
  maxConcurrency: number;
  /** Composition time (ms) the limit keeps the 90th percentile under. */
  targetMs: number;
  /** Page requests that may wait for a slot. */
  queueSize: number;
  /** How long a page request may wait for a slot (ms). */
  queueTimeoutMs: number;
  /** Event-loop delay (ms, 99th percentile) beyond which the limit comes down. */
  maxLoopDelayMs: number;
}

export interface AdmissionState {
  limit: number;
  /** Slots counting against the limit: their work runs in this process. */
  inFlight: Record<WorkClass, number>;
  /** Admitted pages waiting on the DDS, whose slots count for nothing meanwhile. */
  waiting: number;
  queued: number;
  shed: Record<WorkClass, Record<ShedReason, number>>;
  /** The event loop's delay (ms) at the limit's last reconsideration. */
  loopDelayMs: number;
}

export interface Admission {
  /** A slot for `workClass`, or a rejection with a 503 `overloaded` ApiError. */
  acquire(workClass: WorkClass): Promise<Slot>;
  /**
   * Refuses a page request at once, before any work is done for it, when acquire would refuse it
   * (every slot taken, the queue full): shedding must cost little, or the refusals drown the loop.
   */
  shedEarly(): void;
  /** Runs `work` in a slot of `workClass`. */
  run<T>(workClass: WorkClass, work: () => Promise<T>): Promise<T>;
  state(): AdmissionState;
  close(): void;
}

/** Seconds a refused client is asked to wait before it tries again. */
export const RETRY_AFTER_SECONDS = 1;
/** The share of the limit previews and writes may use together. */
export const LOW_PRIORITY_SHARE = 0.25;
const MIN_LIMIT = 2;
const INITIAL_LIMIT = 8;
const WINDOW_MS = 100;

function refusal(workClass: WorkClass, reason: ShedReason): ApiError {
  const why = {
    limit: "every composition slot is taken",
    "queue-timeout": "no composition slot came free in time",
    "low-priority": `${workClass === "write" ? "writes" : "previews"} may use only part of the slots, and theirs are taken`,
  }[reason];
  return overloaded(`the server is overloaded (${why}); try again in ${RETRY_AFTER_SECONDS} s`, RETRY_AFTER_SECONDS);
}

interface Waiter {
  grant(): void;
  refuse(error: ApiError): void;
  timer: NodeJS.Timeout;
}

export function createAdmission(settings: AdmissionSettings, now: () => number = () => performance.now()): Admission {
  const loopDelay = startLoopDelayMonitor();
  const limit = createConcurrencyLimit({
    min: Math.min(MIN_LIMIT, settings.maxConcurrency),
    max: settings.maxConcurrency,
    initial: INITIAL_LIMIT,
    targetMs: settings.targetMs,
    maxLoopDelayMs: settings.maxLoopDelayMs,
    windowMs: WINDOW_MS,
    now,
    loopDelayMs: loopDelay.sinceLastRead,
  });
  const inFlight: Record<WorkClass, number> = { page: 0, preview: 0, write: 0 };
  const shed = Object.fromEntries(
    WORK_CLASSES.map((c) => [c, Object.fromEntries(SHED_REASONS.map((r) => [r, 0]))]),
  ) as AdmissionState["shed"];
  let waiting = 0;
  const queue: Waiter[] = [];
  const total = () => inFlight.page + inFlight.preview + inFlight.write;

  // One refusal per class and reason, made once: an Error captures a stack when made, and refusing must cost little.
  const refusals = Object.fromEntries(
    WORK_CLASSES.map((workClass) => [workClass, Object.fromEntries(SHED_REASONS.map((reason) => [reason, refusal(workClass, reason)]))]),
  ) as Record<WorkClass, Record<ShedReason, ApiError>>;

  function shedError(workClass: WorkClass, reason: ShedReason): ApiError {
    shed[workClass][reason]++;
    return refusals[workClass][reason];
  }

  /** Queued pages into the slots free now, first come first served. */
  function admitQueued(): void {
    while (queue.length > 0 && total() < limit.current()) {
      const next = queue.shift()!;
      clearTimeout(next.timer);
      next.grant();
    }
  }

  function grant(workClass: WorkClass): Slot {
    inFlight[workClass]++;
    const startedAt = now();
    let state: "working" | "waiting" | "released" = "working";
    let waitingSince = 0;
    let waitedMs = 0;
    return {
      waiting() {
        if (state !== "working") return;
        state = "waiting";
        waitingSince = now();
        inFlight[workClass]--;
        waiting++;
        admitQueued();
      },
      working() {
        if (state !== "waiting") return;
        state = "working";
        waitedMs += now() - waitingSince;
        waiting--;
        inFlight[workClass]++;
      },
      release() {
        if (state === "released") return;
        if (state === "waiting") {
          waitedMs += now() - waitingSince;
          waiting--;
        } else inFlight[workClass]--;
        state = "released";
        if (workClass === "page") limit.sample(startedAt, Math.max(0, now() - startedAt - waitedMs));
        admitQueued();
      },
    };
  }

  async function acquire(workClass: WorkClass): Promise<Slot> {
    const full = total() >= limit.current() || queue.length > 0;
    if (full) limit.reached();
    if (workClass !== "page") {
      if (full) throw shedError(workClass, "limit");
      if (inFlight.preview + inFlight.write >= Math.max(1, Math.floor(limit.current() * LOW_PRIORITY_SHARE)))
        throw shedError(workClass, "low-priority");
      return grant(workClass);
    }
    if (!full) return grant(workClass);
    if (queue.length >= settings.queueSize) throw shedError(workClass, "limit");
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => resolve(grant(workClass)),
        refuse: (error) => reject(error),
        timer: setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          waiter.refuse(shedError(workClass, "queue-timeout"));
        }, settings.queueTimeoutMs),
      };
      queue.push(waiter);
    });
  }

  return {
    acquire,
    shedEarly() {
      if (total() >= limit.current() && queue.length >= settings.queueSize) throw shedError("page", "limit");
    },
    async run(workClass, work) {
      const slot = await acquire(workClass);
      try {
        return await work();
      } finally {
        slot.release();
      }
    },
    state: () => ({
      limit: limit.current(),
      inFlight: { ...inFlight },
      waiting,
      queued: queue.length,
      shed: structuredClone(shed),
      loopDelayMs: loopDelay.last(),
    }),
    close() {
      loopDelay.stop();
      for (const waiter of queue.splice(0)) {
        clearTimeout(waiter.timer);
        waiter.refuse(overloaded("the server is shutting down", RETRY_AFTER_SECONDS));
      }
    },
  };
}
