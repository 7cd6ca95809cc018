/**
 * Wraps a DDS client with what every call needs against a failing DDS: a deadline (an abort
 * signal the remote transport honours; an in-process call is let go at the deadline), a circuit
 * breaker per DDS that fails calls fast while its DDS is down, and errors that name no address.
 */
import { wrapDdsClient, type DdsClient, type DdsName } from "../../dds/client.ts";
import { DDS_NAMES } from "../../dds/services.ts";
import { CircuitBreaker, type BreakerOptions, type BreakerState } from "./circuit-breaker.ts";
import { DdsUnavailable } from "./dds-unavailable.ts";

export interface DdsGuardOptions extends BreakerOptions {
  /** Deadline of every DDS call. */
  timeoutMs: number;
}

export interface GuardedDds {
  client: DdsClient;
  /** Each DDS's breaker state, for /metrics and /readyz. */
  breakerStates(): Record<DdsName, BreakerState>;
}

/** Settles with `work`, or rejects with the signal's reason when it aborts first. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

export function guardDdsClient(client: DdsClient, options: DdsGuardOptions): GuardedDds {
  const names: readonly DdsName[] = DDS_NAMES;
  const breakers = Object.fromEntries(names.map((name) => [name, new CircuitBreaker(options)])) as Record<DdsName, CircuitBreaker>;
  const guarded = wrapDdsClient(client, async (dds, _method, call, _request, callOptions) => {
    const breaker = breakers[dds];
    if (!breaker.allow()) throw new DdsUnavailable(dds, "circuit open");
    // A timer cleared when the call settles: AbortSignal.timeout's would outlive every call.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
    const signal = callOptions?.signal ? AbortSignal.any([callOptions.signal, deadline.signal]) : deadline.signal;
    try {
      const result = await untilAborted(call({ ...callOptions, signal }), signal);
      breaker.succeeded();
      return result;
    } catch (error) {
      if (callOptions?.signal?.aborted) {
        breaker.released();
        throw new DdsUnavailable(dds, "cancelled", { cause: error });
      }
      breaker.failed();
      throw new DdsUnavailable(dds, deadline.signal.aborted ? "timeout" : "error", { cause: error });
    } finally {
      clearTimeout(timer);
    }
  });
  return {
    client: guarded,
    breakerStates: () => Object.fromEntries(names.map((name) => [name, breakers[name].state])) as Record<DdsName, BreakerState>,
  };
}
