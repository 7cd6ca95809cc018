/**
 * Impressions and clicks from the logging data the server writes for each page view
 * (`Widget.logging`, `Item.logging`). A widget or item counts as seen once at least
 * `visibility.visible_percent` of it has been on screen for `visibility.duration_ms` without a break;
 * each is reported once per page view. A widget without logging data is not reported.
 */
import type { WidgetLogging } from "../../protos/gen/tessera/page/v1/logging_pb.js";
import type { Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";
import type { ClientEvent } from "./api.ts";
import { enqueue } from "./event-queue.ts";

function eventOf(type: ClientEvent["type"], pageId: string, logging: WidgetLogging, item?: Item): ClientEvent {
  return {
    type,
    pageViewId: logging.pageViewId,
    pageId,
    instanceId: logging.instanceId,
    widgetPosition: logging.position,
    variantId: logging.variantId,
    experimentFlag: logging.experimentFlag,
    experimentVariation: logging.experimentVariation,
    recoRequestId: logging.recoRequestId,
    ...(item && { contentId: item.contentId, itemPosition: item.logging?.position ?? 0 }),
    timestamp: Date.now(),
  };
}

export function logClick(pageId: string, logging: WidgetLogging | undefined, item: Item): void {
  if (logging) enqueue(eventOf("click", pageId, logging, item));
}

/** Watches one page view's widgets and items; `close` stops it when the user leaves the page. */
export class ImpressionTracker {
  private readonly seen = new Set<string>();
  private readonly observers = new Map<number, IntersectionObserver>();
  private readonly pending = new Map<Element, { key: string; durationMs: number; report: () => void; timer?: number }>();
  private readonly pageId: string;

  constructor(pageId: string) {
    this.pageId = pageId;
  }

  watchWidget(element: Element, logging: WidgetLogging | undefined): void {
    if (logging) this.watch(element, `${logging.instanceId}`, logging, undefined);
  }

  watchItem(element: Element, logging: WidgetLogging | undefined, item: Item): void {
    if (logging) this.watch(element, `${logging.instanceId}/${item.contentId}/${item.logging?.position ?? 0}`, logging, item);
  }

  close(): void {
    for (const observer of this.observers.values()) observer.disconnect();
    for (const watched of this.pending.values()) clearTimeout(watched.timer);
    this.observers.clear();
    this.pending.clear();
  }

  private watch(element: Element, key: string, logging: WidgetLogging, item: Item | undefined): void {
    if (this.seen.has(key)) return;
    const percent = Math.min(100, Math.max(1, logging.visibility?.visiblePercent || 50));
    const durationMs = Math.max(0, logging.visibility?.durationMs ?? 1000);
    this.pending.set(element, { key, durationMs, report: () => enqueue(eventOf("impression", this.pageId, logging, item)) });
    this.observerFor(percent).observe(element);
  }

  /** One observer per visibility threshold: IntersectionObserver reports crossings of its thresholds. */
  private observerFor(percent: number): IntersectionObserver {
    let observer = this.observers.get(percent);
    if (!observer) {
      const threshold = percent / 100;
      observer = new IntersectionObserver(
        (entries) => {
          for (const entry of entries)
            this.changed(entry.target, entry.isIntersecting && entry.intersectionRatio >= threshold - 0.001, observer!);
        },
        { threshold },
      );
      this.observers.set(percent, observer);
    }
    return observer;
  }

  private changed(element: Element, visible: boolean, observer: IntersectionObserver): void {
    const watched = this.pending.get(element);
    if (!watched) return;
    clearTimeout(watched.timer);
    watched.timer = undefined;
    if (!visible) return;
    watched.timer = window.setTimeout(() => {
      observer.unobserve(element);
      this.pending.delete(element);
      if (this.seen.has(watched.key)) return;
      this.seen.add(watched.key);
      watched.report();
    }, watched.durationMs);
  }
}
