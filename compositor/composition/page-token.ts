/**
 * Page tokens: what a client sends back to load a widget's next items or a deferred widget
 * (README, "Load more"). Opaque to the client, signed by the server (HMAC-SHA256), bound to one
 * widget of one page and to the layout version, variant and data version the page was composed
 * from. The token carries the binder's cursor; the server keeps nothing per token. It names no
 * caller: the widget endpoint composes for whoever asks, from their own data, so a token another
 * caller holds shows them nothing but their own widget; and a token shared by every caller of a
 * page is made once an hour, not on every page (issue() remembers what it signed).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { ApiError, conflict, invalidParameter } from "../../api/errors.ts";

/** The development secret: public, so the server refuses it in production (config.ts). */
export const DEV_PAGE_TOKEN_SECRET = "tessera-development-page-tokens-do-not-use-in-production";

/** The longest token accepted; the ones the server makes are far shorter. */
export const MAX_PAGE_TOKEN_LENGTH = 1024;
/** The longest cursor a binder may hand out. */
export const MAX_CURSOR_LENGTH = 256;

const HOUR_SECONDS = 3600;
const FORMAT = 2;
/** Tokens issue() remembers, within the hour they share an expiry. */
const ISSUED_MAX = 10_000;
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
  /** A token for `claims`. */
  issue(claims: PageTokenClaims): string;
  /** The claims of `token` when it is this server's, unexpired, and for this page; else a 400. */
  open(token: string, pageId: string): PageTokenClaims;
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
  expires: number,
];

function isPayload(value: unknown): value is Payload {
  return (
    Array.isArray(value) &&
    value.length === 8 &&
    value[0] === FORMAT &&
    value.slice(1, 7).every((part) => typeof part === "string") &&
    Number.isSafeInteger(value[7])
  );
}

/**
 * `now` is the clock (ms). A token expires at the end of the hour after the one it was made in
 * (valid for 1 to 2 hours): tokens made within one hour are the same bytes, so a page keeps its ETag.
 */
export function createPageTokens(secret: string, now: () => number = () => Date.now()): PageTokens {
  const sign = (body: string) => createHmac("sha256", secret).update(body).digest();
  const issued = new Map<string, string>();

  return {
    issue(claims) {
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
        expires,
      ];
      // Remembered by its claims: every page of the hour asks for the same few tokens.
      const key = payload.join("\u0000");
      let token = issued.get(key);
      if (token === undefined) {
        const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
        token = `${body}.${sign(body).toString("base64url")}`;
        if (issued.size >= ISSUED_MAX) issued.clear();
        issued.set(key, token);
      }
      return token;
    },

    open(token, pageIdAsked) {
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
      const [, pageId, instanceId, layoutVersion, variantId, dataVersion, cursor, expires] = payload;
      if (expires * 1000 <= now()) throw refused("has expired; reload the page");
      if (pageId !== pageIdAsked) throw refused(`is for page "${pageId}", not "${pageIdAsked}"`);
      return { pageId, instanceId, layoutVersion, variantId, dataVersion, cursor };
    },
  };
}
