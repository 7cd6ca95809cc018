/** The LaunchDarkly context of a request: who is asking, with the attributes flag rules target. */
import type { LDContext } from "@launchdarkly/node-server-sdk";
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../widget-registry/context.ts";
import { DIMENSIONS, DIMENSION_NAMES, type RequestDimension, type TokenDimension } from "../../widget-registry/request-dimensions.ts";

export interface Caller {
  /** X-Device-Id of an anonymous caller: keeps their variations stable across requests. */
  deviceId?: string;
}

/** [dimension, attribute] of every dimension that flag rules can target. */
const ATTRIBUTES = DIMENSION_NAMES.flatMap((name) => {
  const attribute = (DIMENSIONS[name] as RequestDimension | TokenDimension).flagAttribute;
  return attribute === undefined ? [] : [[name, attribute] as const];
});

/**
 * Keyed by the user id, or for an anonymous caller by the device id (or, without one, a key of
 * this request only: such a caller cannot be kept in one variation anyway).
 */
export function ldContextOf(ctx: RequestContext, caller: Caller = {}): LDContext {
  const anonymous = ctx.userId === "";
  const context: LDContext = { kind: "user", key: anonymous ? `device:${caller.deviceId || randomUUID()}` : ctx.userId, anonymous };
  for (const [name, attribute] of ATTRIBUTES) context[attribute] = ctx[name];
  return context;
}
