/**
 * The spans of composing a page: the composition, its layout resolution and each placement, with
 * what an operator asks of a slow or odd page (which variant, which widget, from the cache or not,
 * how many items, why it was left out). Called only when tracing is on (`tracingEnabled`).
 */
import { SpanStatusCode, type Span } from "@opentelemetry/api";
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Composition } from "../composition/composition.ts";
import type { PlacementRequest } from "../composition/placement-pipeline.ts";
import type { SettledSlot } from "../composition/slot.ts";
import type { ResolvedLayout, ResolvedPlacement } from "../layouts/resolver.ts";
import { tracer } from "./tracing.ts";

/** Where a placement's widget came from: the widget cache, its binder (the cache missed), a stale copy, or a binder whose output is never cached ("none"). */
export type CacheOutcome = "hit" | "miss" | "stale" | "none";

/** Runs `work` in a span of its own, ended (and marked failed when it throws) when it settles. */
async function inSpan<T>(name: string, attributes: Record<string, string>, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

export function traceComposition(pageId: string, compose: () => Promise<Composition | undefined>): Promise<Composition | undefined> {
  return inSpan("tessera.compose", { "tessera.page.id": pageId }, async (span) => {
    const composition = await compose();
    if (!composition) span.setAttribute("tessera.page.found", false);
    else
      span.setAttributes({
        "tessera.page.widgets": composition.page.widgets.length,
        "tessera.page.omitted": composition.page.errors.length,
        "tessera.page.degraded": composition.degraded,
        "tessera.dds.calls": composition.timing.ddsCalls,
      });
    return composition;
  });
}

export function traceLayoutResolution(pageId: string, resolve: () => ResolvedLayout | undefined): ResolvedLayout | undefined {
  return tracer.startActiveSpan("tessera.layout.resolve", { attributes: { "tessera.page.id": pageId } }, (span) => {
    try {
      const layout = resolve();
      if (layout)
        span.setAttributes({
          "tessera.layout.version": layout.layoutVersion,
          "tessera.layout.variant": layout.variantId,
          "tessera.layout.placements": layout.placements.length,
          "tessera.layout.omitted": layout.omitted.length,
        });
      else span.setAttribute("tessera.layout.matched", false);
      return layout;
    } finally {
      span.end();
    }
  });
}

/** The entries of the widget's lists (a tray's tiles, a grid's cells). */
export function widgetItems(widget: Widget): number {
  const body = widget.body.value as Record<string, unknown> | undefined;
  let items = 0;
  if (body) for (const value of Object.values(body)) if (Array.isArray(value)) items += value.length;
  return items;
}

function describeSlot(span: Span, slot: SettledSlot, cacheable: boolean): void {
  const missed: CacheOutcome = cacheable ? "miss" : "none";
  if ("omitted" in slot) {
    span.setAttributes({ "tessera.cache.outcome": missed, "tessera.widget.omitted_reason": slot.omitted.reason });
    return;
  }
  const outcome: CacheOutcome = slot.fromCache ? "hit" : slot.widget.stale ? "stale" : missed;
  span.setAttributes({ "tessera.cache.outcome": outcome, "tessera.widget.items": widgetItems(slot.widget) });
  if (slot.degraded) span.setAttribute("tessera.widget.degraded", true);
}

/**
 * Settles a placement (`settle`, the pipeline) in a span that describes its slot. `cacheable`: the
 * widget could have come from the cache (a public or persona widget of a cached composition).
 */
export function tracePlacement(
  placement: ResolvedPlacement,
  cacheable: boolean,
  request: PlacementRequest,
  settle: (request: PlacementRequest) => Promise<void>,
): Promise<void> {
  const attributes = { "tessera.widget.type": placement.type, "tessera.widget.instance": placement.instanceId };
  return inSpan("tessera.placement", attributes, (span) =>
    settle({
      ...request,
      sink: {
        settle: (slot) => {
          describeSlot(span, slot, cacheable);
          request.sink.settle(slot);
        },
      },
    }),
  );
}
