/**
 * The gateway as a fastify hook: a request's token is verified once, when it arrives, before the rate
 * limiter (which keys on the identity found) and before every route (pages, the user's writes, the
 * layout API). Connect handlers get it through the Connect plugin's context values.
 */
import { createContextKey, createContextValues, type ContextValues, type HandlerContext } from "@connectrpc/connect";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Identity, TokenVerifier } from "./auth.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** The caller, verified once; rejects with the 401 (or 503) ApiError of a token that does not verify. */
    identity: Promise<Identity>;
  }
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function installGateway(app: FastifyInstance, tokens: TokenVerifier): void {
  app.decorateRequest("identity", null as unknown as Promise<Identity>);
  app.addHook("onRequest", async (request) => {
    request.identity = tokens.identify(first(request.headers.authorization));
    // A refusal is answered by whatever awaits the caller; a route that needs none leaves it unread.
    request.identity.catch(() => {});
  });
}

/** What the gateway found for a Connect call. */
export interface GatewayValues {
  requestId: string;
  identity: Promise<Identity>;
}

const GATEWAY = createContextKey<GatewayValues | undefined>(undefined, { description: "the gateway's findings" });

/** For connect-fastify's `contextValues` option. */
export const gatewayContextValues = (request: FastifyRequest): ContextValues =>
  createContextValues().set(GATEWAY, { requestId: request.id, identity: request.identity });

export function gatewayOf(context: HandlerContext): GatewayValues {
  const values = context.values.get(GATEWAY);
  if (!values) throw new Error("the Connect service is served without the gateway's context values");
  return values;
}
