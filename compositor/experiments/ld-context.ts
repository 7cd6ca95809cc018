/** The LaunchDarkly context of a request: who is asking, with the attributes flag rules target. */
import type { LDContext } from "@launchdarkly/node-server-sdk";
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../widget-registry/context.ts";

export interface Caller {
  /** X-Device-Id of an anonymous caller: keeps their variations stable across requests. */
  deviceId?: string;
}

/**
 * Keyed by the user id, or for an anonymous caller by the device id (or, without one, a key of
 * this request only: such a caller cannot be kept in one variation anyway).
 */
export function ldContextOf(ctx: RequestContext, caller: Caller = {}): LDContext {
  const anonymous = ctx.userId === "";
  return {
    kind: "user",
    key: anonymous ? `device:${caller.deviceId || randomUUID()}` : ctx.userId,
    anonymous,
    cohort: ctx.cohort,
    persona: ctx.persona,
    platform: ctx.platform,
    region: ctx.region,
    clientVersion: ctx.clientVersion,
    locale: ctx.locale,
  };
}
