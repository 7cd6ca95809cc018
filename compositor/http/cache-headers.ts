/**
 * HTTP caching of pages. A page's scope is the narrowest of its widgets'. Only an anonymous
 * caller's page may be kept by shared caches: a signed-in caller's page carries their entitlement
 * badges even when every widget is public. A persona-scoped page is shared only when its URL names
 * the persona (persona=): one URL, one page. Pages without user-scoped widgets carry a strong
 * ETag, and a matching If-None-Match is answered 304. A degraded page (a stale, partial or failed
 * widget) is kept by no cache: the next request may have the whole page again.
 */
import { CacheScope, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { PageCall } from "../page-service.ts";

/** RFC 5861: a shared cache may serve its copy this long past its age while it fetches a new one… */
export const STALE_WHILE_REVALIDATE_SECONDS = 30;
/** …and this long while Tessera answers errors or cannot be reached. */
export const STALE_IF_ERROR_SECONDS = 86_400;

/** Whether a shared cache may keep the page, which then names its surrogate keys. */
export function sharedCacheable(page: Page, call: PageCall, degraded: boolean): boolean {
  if (degraded || call.ctx.userId) return false;
  const scope = page.cache?.scope ?? CacheScope.USER;
  return scope === CacheScope.PUBLIC || (scope === CacheScope.PERSONA && call.named.has("persona"));
}

/**
 * `edgeMaxAgeSeconds` bounds how long a shared cache keeps a page before it asks again (s-maxage), and
 * so does `changesAt`, the layout's next schedule boundary (epoch ms); a purge ends it sooner.
 */
export function cacheControl(page: Page, call: PageCall, degraded: boolean, edgeMaxAgeSeconds: number, changesAt = Infinity): string {
  if (degraded) return "private, no-store";
  const untilChange = Math.max(0, Math.floor((changesAt - Date.now()) / 1000));
  const maxAge = Math.min(page.cache?.maxAgeSeconds ?? 0, edgeMaxAgeSeconds, untilChange);
  if (sharedCacheable(page, call, degraded))
    return `public, max-age=0, s-maxage=${maxAge}, stale-while-revalidate=${STALE_WHILE_REVALIDATE_SECONDS}, stale-if-error=${STALE_IF_ERROR_SECONDS}`;
  const scope = page.cache?.scope ?? CacheScope.USER;
  if (scope === CacheScope.PUBLIC || scope === CacheScope.PERSONA) return "private, no-cache";
  return "private, no-store";
}

/** The validator of one representation: protobuf and JSON bytes differ, so do their ETags. */
export function representationEtag(etag: string, json: boolean): string {
  return json ? `${etag.slice(0, -1)}.json"` : etag;
}

/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for it). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === etag);
}

/** The header that counts a page's stale widgets (each marked `stale` in the page), when it has any. */
export const STALE_HEADER = "tessera-stale";
