/**
 * A circuit breaker for one dependency. Closed: calls go through, and `failureThreshold`
 * consecutive failures (timeouts included) open it. Open: calls fail fast for `coolDownMs`, then
 * one probe goes through (half-open); its success closes the breaker, its failure opens it again.
 */
export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
  now?: () => number;
}

export class CircuitBreaker {
  #state: BreakerState = "closed";
  #failures = 0;
  #openedAt = 0;
  #probing = false;
  readonly #options: BreakerOptions;
  readonly #now: () => number;

  constructor(options: BreakerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a call may go out now; when it may, the caller must report it with one of the three below. */
  allow(): boolean {
    if (this.#state === "closed") return true;
    if (this.#state === "open") {
      if (this.#now() - this.#openedAt < this.#options.coolDownMs) return false;
      this.#state = "half-open";
    }
    if (this.#probing) return false;
    this.#probing = true;
    return true;
  }

  succeeded(): void {
    this.#state = "closed";
    this.#failures = 0;
    this.#probing = false;
  }

  failed(): void {
    this.#probing = false;
    if (this.#state === "half-open" || ++this.#failures >= this.#options.failureThreshold) {
      this.#state = "open";
      this.#openedAt = this.#now();
      this.#failures = 0;
    }
  }

  /** The call was given up by its caller: it says nothing of the dependency. */
  released(): void {
    this.#probing = false;
  }
}
