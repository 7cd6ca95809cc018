/** The LaunchDarkly context of a request: who is asking, with the attributes flag rules target. */
import type { LDContext } from "@launchdarkly/node-server-sdk";
import type { RequestContext } from "../../widget-registry/context.ts";
import { DIMENSIONS, DIMENSION_NAMES, type RequestDimension, type TokenDimension } from "../../widget-registry/request-dimensions.ts";

/** [dimension, attribute] of every dimension that flag rules can target. */
const ATTRIBUTES = DIMENSION_NAMES.flatMap((name) => {
  const attribute = (DIMENSIONS[name] as RequestDimension | TokenDimension).flagAttribute;
  return attribute === undefined ? [] : [[name, attribute] as const];
});

/**
 * Keyed by the user id, or for an anonymous caller by their persona: an anonymous page depends on
 * nothing its URL does not name (persona=), so a shared cache may keep it, and anonymous callers
 * fall into experiments in eight buckets (docs/architecture.md, "Pages at the edge").
 */
export function ldContextOf(ctx: RequestContext): LDContext {
  const anonymous = ctx.userId === "";
  const context: LDContext = { kind: "user", key: anonymous ? `persona:${ctx.persona}` : ctx.userId, anonymous };
  for (const [name, attribute] of ATTRIBUTES) context[attribute] = ctx[name];
  return context;
}
