/** The caching headers of a page response, the same over HTTP and Connect (GET): what a CDN keys, keeps and purges it by. */
import type { Composition } from "../composition/composition.ts";
import type { PageCall } from "../page-service.ts";
import { cacheControl, sharedCacheable, STALE_HEADER } from "./cache-headers.ts";
import { serverTiming } from "./server-timing.ts";
import { SURROGATE_KEY_HEADER, surrogateKeys } from "./surrogate-keys.ts";

export interface EdgeHeaderOptions {
  edgeMaxAgeSeconds: number;
  vary: string;
  /** The ETag of the representation sent, when the page has one. */
  etag: string | undefined;
}

export function edgeHeaders(composition: Composition, call: PageCall, options: EdgeHeaderOptions): Record<string, string> {
  const { page, degraded } = composition;
  const headers: Record<string, string> = {
    "server-timing": serverTiming(composition.timing),
    vary: options.vary,
    "cache-control": cacheControl(page, call, degraded, options.edgeMaxAgeSeconds, composition.changesAt),
  };
  if (composition.staleWidgets > 0) headers[STALE_HEADER] = String(composition.staleWidgets);
  if (options.etag) headers.etag = options.etag;
  if (sharedCacheable(page, call, degraded)) headers[SURROGATE_KEY_HEADER] = surrogateKeys(page, composition.entities ?? []);
  return headers;
}
