/** What composing a page gives: the page, its bytes, how long each stage took. */
import type { OmittedWidget, Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";

export interface CompositionTiming {
  layoutMs: number;
  /** Wall time with at least one DDS call in flight. */
  ddsMs: number;
  ddsCalls: number;
  /** Sum of every binder's bind time. */
  bindMs: number;
  totalMs: number;
}

export interface Composition {
  page: Page;
  /** The page as protobuf binary. */
  bytes: Uint8Array;
  /** A strong validator of `bytes` when the page holds no user-scoped widget and is not degraded. */
  etag?: string;
  /** Epoch ms of the layout's next schedule boundary, after which the page may resolve differently (Infinity: none). */
  changesAt?: number;
  /** The entities (titles, genre lists) the page shows, when it was composed for an anonymous caller: its surrogate keys. */
  entities?: readonly string[];
  /** How many of the page's widgets are stale copies. */
  staleWidgets: number;
  /**
   * Some widget is a stale copy, made from partial data, or left out because it failed or timed out:
   * the page must not be kept by any shared cache.
   */
  degraded: boolean;
  timing: CompositionTiming;
  /** The essential placement that failed, when one did: the page must not be served. */
  failedEssential?: OmittedWidget;
}

/** Receives widgets as they are ready, for streaming. */
export interface CompositionListener {
  widget?(position: number, widget: Widget): void;
  omitted?(position: number, omitted: OmittedWidget): void;
}
