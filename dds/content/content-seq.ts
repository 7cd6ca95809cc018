/**
 * The content seq a DDS process has applied, reported on every answer. A compositor with a remote
 * DDS follows the content-change stream on its own and may apply an update (and drop its caches)
 * before the DDS has: an answer whose seq is behind that update must not go into a cache
 * (compositor/cache/content-freshness.ts). The DDS in process is always current and reports none.
 */
import type { Interceptor } from "@connectrpc/connect";
import type { ContentOverlay } from "./overlay.ts";

export const CONTENT_SEQ_HEADER = "tessera-content-seq";

/** A Connect server interceptor that sets CONTENT_SEQ_HEADER on every answer of the DDS whose overlay this is. */
export function reportContentSeq(overlay: ContentOverlay): Interceptor {
  return (next) => async (request) => {
    // Read before the answer is made: it holds at least every update up to this seq.
    const seq = String(overlay.seq);
    const response = await next(request);
    response.header.set(CONTENT_SEQ_HEADER, seq);
    return response;
  };
}
