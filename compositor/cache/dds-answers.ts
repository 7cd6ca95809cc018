/**
 * How far the remote DDS had applied the content changes when it answered one request: the lowest
 * content seq its answers reported (dds/content/content-seq.ts). One per request, and only with a
 * remote DDS: the DDS in process applies every update before this process's caches see it.
 */
import type { CallOptions } from "@connectrpc/connect";
import { CONTENT_SEQ_HEADER } from "../../dds/content/content-seq.ts";

export class DdsAnswers {
  /** The lowest seq reported so far; Infinity before the first answer, or when the DDS reports none (an older DDS). */
  lowest = Number.POSITIVE_INFINITY;
  /** Whether this request has been counted as not kept because the DDS was behind. */
  counted = false;
  /** The options every DDS call of the request is made with. */
  readonly callOptions: CallOptions = {
    onHeader: (headers) => {
      const reported = headers.get(CONTENT_SEQ_HEADER);
      if (reported === null) return;
      // Unreadable: taken as behind everything, so nothing made from the answer is kept.
      const seq = Number(reported) || 0;
      if (seq < this.lowest) this.lowest = seq;
    },
  };
}
