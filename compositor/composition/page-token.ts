/**
 * Page tokens: what a client sends back to load a widget's next items or a deferred widget
 * (README, "Load more"). Opaque to the client, signed by the server (HMAC-SHA256), bound to the
 * caller and the request's dimensions, to one widget of one page, and to the layout and data
 * versions the page was composed from. The token carries the binder's cursor; the server keeps
 * nothing per token.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { ApiError, conflict, invalidParameter } from "../../api/errors.ts";
import type { RequestContext } from "../../widget-registry/context.ts";
import { dimensionsKey, KEY_SEPARATOR } from "../../widget-registry/request-dimensions.ts";
import { parametersKey } from "../cache/widget-key.ts";

/** The development secret: public, so the server refuses it in production (config.ts). */
export const DEV_PAGE_TOKEN_SECRET = "tessera-development-page-tokens-do-not-use-in-production";

/** The longest token accepted; the ones the server makes are far shorter. */
export const MAX_PAGE_TOKEN_LENGTH = 1024;
/** The longest cursor a binder may hand out. */
export const MAX_CURSOR_LENGTH = 256;

const HOUR_SECONDS = 3600;
const FORMAT = 1;
const PARAMETER = "pageToken";

/** What a token says about the widget it continues. */
export interface PageTokenClaims {
  pageId: string;
  instanceId: string;
  layoutVersion: string;
  variantId: string;
  dataVersion: string;
  /** The binder's cursor: "" for the widget's first items (a deferred widget). */
  cursor: string;
}

export interface PageTokens {
  /** A token for `claims`, bound to `ctx`'s caller and request. */
  issue(claims: PageTokenClaims, ctx: RequestContext): string;
  /** The claims of `token` when it is this server's, unexpired, and for this caller and page; else a 400. */
  open(token: string, ctx: RequestContext, pageId: string): PageTokenClaims;
}

const callers = new WeakMap<RequestContext, string>();

/**
 * Which caller and request a token belongs to: the user, every request dimension (platform,
 * version, locale, persona…) and the page's parameters. Once per request, for all its widgets.
 */
function callerOf(ctx: RequestContext): string {
  let caller = callers.get(ctx);
  if (caller === undefined) {
    caller = createHash("sha256")
      .update(`${ctx.userId}${KEY_SEPARATOR}${dimensionsKey(ctx, "page")}${parametersKey(ctx.params)}`)
      .digest("base64url")
      .slice(0, 16);
    callers.set(ctx, caller);
  }
  return caller;
}

const refused = (problem: string) => invalidParameter(PARAMETER, problem);

/** A token of another widget of the page than the one asked for. */
export const otherWidgetsToken = (tokenInstanceId: string, instanceId: string): ApiError =>
  refused(`is for widget "${tokenInstanceId}", not "${instanceId}"`);

/** The layout or the data changed since the token was made: its cursor means nothing any more. */
export const pageChanged = (): ApiError => conflict(`${PARAMETER}: the page has changed since the token was made; reload the page`);

type Payload = [
  format: number,
  pageId: string,
  instanceId: string,
  layoutVersion: string,
  variantId: string,
  dataVersion: string,
  cursor: string,
  caller: string,
  expires: number,
];

function isPayload(value: unknown): value is Payload {
  return (
    Array.isArray(value) &&
    value.length === 9 &&
    value[0] === FORMAT &&
    value.slice(1, 8).every((part) => typeof part === "string") &&
    Number.isSafeInteger(value[8])
  );
}

/**
 * `now` is the clock (ms). A token expires at the end of the hour after the one it was made in
 * (valid for 1 to 2 hours): tokens made within one hour are the same bytes, so a page keeps its ETag.
 */
export function createPageTokens(secret: string, now: () => number = () => Date.now()): PageTokens {
  const sign = (body: string) => createHmac("sha256", secret).update(body).digest();

  return {
    issue(claims, ctx) {
      if (claims.cursor.length > MAX_CURSOR_LENGTH) throw new Error(`a cursor longer than ${MAX_CURSOR_LENGTH} characters`);
      const expires = (Math.floor(now() / 1000 / HOUR_SECONDS) + 2) * HOUR_SECONDS;
      const payload: Payload = [
        FORMAT,
        claims.pageId,
        claims.instanceId,
        claims.layoutVersion,
        claims.variantId,
        claims.dataVersion,
        claims.cursor,
        callerOf(ctx),
        expires,
      ];
      const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
      return `${body}.${sign(body).toString("base64url")}`;
    },

    open(token, ctx, pageIdAsked) {
      if (!token) throw refused("is required: the page token of the widget (Widget.next_page_token or DeferredWidget.page_token)");
      if (token.length > MAX_PAGE_TOKEN_LENGTH) throw refused(`is longer than ${MAX_PAGE_TOKEN_LENGTH} characters: not a page token`);
      const [body, signature, ...rest] = token.split(".");
      if (!body || !signature || rest.length > 0) throw refused("is not a page token");
      const given = Buffer.from(signature, "base64url");
      const expected = sign(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw refused("is not a page token of this server, or was altered (its signature does not match)");
      }
      let payload: unknown;
      try {
        payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
      } catch {
        payload = undefined;
      }
      if (!isPayload(payload)) throw refused("is not a page token");
      const [, pageId, instanceId, layoutVersion, variantId, dataVersion, cursor, caller, expires] = payload;
      if (expires * 1000 <= now()) throw refused("has expired; reload the page");
      if (pageId !== pageIdAsked) throw refused(`is for page "${pageId}", not "${pageIdAsked}"`);
      if (caller !== callerOf(ctx)) {
        throw refused("was made for another caller or request (user, platform, client version, locale, region or persona differ)");
      }
      return { pageId, instanceId, layoutVersion, variantId, dataVersion, cursor };
    },
  };
}
