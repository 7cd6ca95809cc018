/** The RequestContext of a page request: who is asking (token) and with what (parameters). */
import type { Flags, RequestContext } from "../../widget-registry/context.ts";
import {
  CLAIMED_PARAMETERS,
  REQUEST_PARAMETERS,
  TOKEN_CLAIMS,
  type ClaimedParameter,
  type RequestDimensions,
  type TokenClaim,
} from "../../widget-registry/request-dimensions.ts";
import type { PageRequestOptions } from "./request-options.ts";

export type CallerClaims = { userId: string } & Pick<RequestDimensions, TokenClaim | ClaimedParameter>;

export function buildRequestContext(
  requestId: string,
  identity: CallerClaims,
  options: PageRequestOptions,
  flags: Flags,
  params: Readonly<Record<string, string>> = {},
): RequestContext {
  const ctx: Record<string, unknown> = { requestId, userId: identity.userId, params: Object.freeze({ ...params }) };
  for (const name of REQUEST_PARAMETERS) ctx[name] = options[name];
  for (const name of TOKEN_CLAIMS) ctx[name] = identity[name];
  if (identity.userId) for (const name of CLAIMED_PARAMETERS) ctx[name] = identity[name];
  ctx.flags = flags;
  return ctx as unknown as RequestContext;
}
