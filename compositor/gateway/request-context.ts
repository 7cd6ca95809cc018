/** The RequestContext of a page request: who is asking (token) and with what (parameters). */
import type { Flags, RequestContext } from "../../widget-registry/context.ts";
import type { Identity } from "./auth.ts";
import type { PageRequestOptions } from "./request-options.ts";

export function buildRequestContext(requestId: string, identity: Identity, options: PageRequestOptions, flags: Flags): RequestContext {
  return {
    requestId,
    userId: identity.userId,
    cohort: identity.cohort,
    persona: identity.persona,
    platform: options.platform,
    formFactor: options.formFactor,
    clientVersion: options.clientVersion,
    locale: options.locale,
    region: options.region,
    flags,
  };
}
