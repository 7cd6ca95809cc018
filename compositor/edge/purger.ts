/**
 * Purges shared caches' copies of pages by surrogate key (compositor/http/surrogate-keys.ts), Varnish
 * xkey style: `PURGE <PURGE_URL>` with the keys, space-separated, in an `xkey-purge` header (the
 * shipped VCL, deploy/varnish/, answers it with xkey.purge). Each purge is tried a bounded number
 * of times, each attempt within a deadline; at most MAX_IN_FLIGHT purges are under way, and one
 * more is dropped and counted. A purge is idempotent: every replica purges each event it applies
 * (docs/architecture.md says why), and purging twice costs only the request.
 */
import { Counter, type Registry } from "prom-client";

export type PurgeReason = "publish" | "content";

export interface Purger {
  /** Resolves true once the edge confirmed (2xx), false when every attempt failed or the purge was dropped; never rejects. */
  purge(reason: PurgeReason, keys: readonly string[]): Promise<boolean>;
  /** Abandons the purges under way. */
  close(): void;
}

export interface PurgerOptions {
  url: string;
  registry: Registry;
  onFailure?(reason: PurgeReason, keys: readonly string[], error: string): void;
  attempts?: number;
  /** Deadline of one attempt. */
  attemptTimeoutMs?: number;
  /** Wait before the second attempt, doubled before each next one. */
  backoffMs?: number;
}

const MAX_IN_FLIGHT = 64;
export const PURGE_KEY_HEADER = "xkey-purge";

export function createPurger(options: PurgerOptions): Purger {
  const { url, attempts = 3, attemptTimeoutMs = 2_000, backoffMs = 200 } = options;
  const purges = new Counter({
    name: "tessera_edge_purges_total",
    help: "Purges of shared caches by surrogate key, by what caused them and how they ended (ok, failed, dropped)",
    labelNames: ["reason", "outcome"],
    registers: [options.registry],
  });
  const closing = new AbortController();
  let inFlight = 0;

  async function attempt(keys: readonly string[]): Promise<void> {
    const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(attemptTimeoutMs)]);
    const response = await fetch(url, { method: "PURGE", headers: { [PURGE_KEY_HEADER]: keys.join(" ") }, signal });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the edge answered ${response.status}`);
  }

  async function purge(reason: PurgeReason, keys: readonly string[]): Promise<boolean> {
    if (keys.length === 0) return true;
    if (inFlight >= MAX_IN_FLIGHT || closing.signal.aborted) {
      purges.inc({ reason, outcome: "dropped" });
      options.onFailure?.(reason, keys, "too many purges under way");
      return false;
    }
    inFlight++;
    let lastError = "";
    try {
      for (let i = 0; i < attempts && !closing.signal.aborted; i++) {
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (i - 1)).unref());
        try {
          await attempt(keys);
          purges.inc({ reason, outcome: "ok" });
          return true;
        } catch (error) {
          lastError = error instanceof Error ? error.message : String(error);
        }
      }
      purges.inc({ reason, outcome: "failed" });
      options.onFailure?.(reason, keys, lastError);
      return false;
    } finally {
      inFlight--;
    }
  }

  return { purge, close: () => closing.abort() };
}
