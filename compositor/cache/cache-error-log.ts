/**
 * Redis failures of the composition cache: the page is served without the cache, every failure is
 * counted, and the log gets the first one and then at most one an interval, with how many there were
 * since, so that an unreachable Redis does not flood it.
 */
import type { FastifyBaseLogger } from "fastify";

export function cacheErrorLog(
  log: () => FastifyBaseLogger,
  count: () => void,
  intervalMs = 10_000,
  now = Date.now,
): (error: unknown) => void {
  let loggedAt = -Infinity;
  let failures = 0;
  return (error) => {
    count();
    failures++;
    if (now() - loggedAt < intervalMs) return;
    log().warn({ err: error, failures }, "composition cache: Redis failed; serving without it");
    loggedAt = now();
    failures = 0;
  };
}
