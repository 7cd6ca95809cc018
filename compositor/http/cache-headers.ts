/**
 * HTTP caching of pages. A page's scope is the narrowest of its widgets'. Only an anonymous
 * caller's public page may be kept by shared caches: a signed-in caller's page carries their
 * entitlement badges even when every widget is public. Pages without user-scoped widgets carry
 * an ETag, and a matching If-None-Match is answered 304. A degraded page (a stale, partial or
 * failed widget) is kept by no cache: the next request may have the whole page again.
 */
import { CacheScope, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { RequestContext } from "../../widget-registry/context.ts";

export function cacheControl(page: Page, ctx: RequestContext, degraded: boolean): string {
  if (degraded) return "private, no-store";
  const scope = page.cache?.scope ?? CacheScope.USER;
  if (scope === CacheScope.PUBLIC && !ctx.userId) return `public, max-age=0, s-maxage=${page.cache?.maxAgeSeconds ?? 0}`;
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
