/**
 * What /readyz reports: a small list of named checks, each saying "ok", "degraded" (the instance
 * still serves, from what it holds, so it stays in the load balancer) or "failing" (it cannot
 * serve: out of the load balancer until it can), with the reason.
 */
import { redisReady, type RedisClient } from "../../redis/client.ts";
import type { BreakerState } from "../dds-guard/circuit-breaker.ts";
import type { LayoutSource } from "../layouts/layout-source.ts";

export type CheckStatus = "ok" | "degraded" | "failing";

export interface CheckResult {
  status: CheckStatus;
  /** Why, when not ok. */
  reason?: string;
}

export interface ReadinessCheck {
  name: string;
  check(): CheckResult;
}

export interface Readiness {
  status: "ready" | "degraded" | "not-ready";
  checks: Record<string, CheckResult>;
}

export function layoutsLoaded(layouts: LayoutSource): ReadinessCheck {
  return {
    name: "layouts",
    check: () => (layouts.pageCount() > 0 ? { status: "ok" } : { status: "failing", reason: "no published layouts loaded yet" }),
  };
}

/** Layouts, rate limits, user data and the widget cache's second tier live in Redis; without it the instance serves from memory. */
export function redisReachable(redis: RedisClient): ReadinessCheck {
  return {
    name: "redis",
    check: () =>
      redisReady(redis)
        ? { status: "ok" }
        : {
            status: "degraded",
            reason: `Redis unreachable (${redis.status}): serving layouts from memory, rate limits per instance, without user data`,
          },
  };
}

/** An open breaker degrades pages (stale or left-out widgets) but does not stop the instance serving. */
export function ddsBreakersClosed(states: () => Record<string, BreakerState>): ReadinessCheck {
  return {
    name: "dds",
    check: () => {
      const notClosed = Object.entries(states()).filter(([, state]) => state !== "closed");
      if (notClosed.length === 0) return { status: "ok" };
      return {
        status: "degraded",
        reason: `circuit ${notClosed.map(([dds, state]) => `${state} for ${dds}`).join(", ")}: serving stale or partial pages`,
      };
    },
  };
}

/** Flags not yet loaded read as their fallbacks: pages are served, without the experiments and rollouts the flags hold. */
export function flagsInitialized(initialized: () => boolean): ReadinessCheck {
  return {
    name: "flags",
    check: () =>
      initialized()
        ? { status: "ok" }
        : { status: "degraded", reason: "feature flags not initialized (LaunchDarkly not reached yet): every flag reads as its fallback" },
  };
}

export function readiness(checks: readonly ReadinessCheck[]): Readiness {
  const results = Object.fromEntries(checks.map(({ name, check }) => [name, check()]));
  const statuses = Object.values(results).map((result) => result.status);
  const status = statuses.includes("failing") ? "not-ready" : statuses.includes("degraded") ? "degraded" : "ready";
  return { status, checks: results };
}
