/**
 * Runs one binder for one placement under its guard rails: its deadline (the binder's `ctx.signal`
 * aborts when it passes), its maximum items, and failure isolation. A binder that throws or runs
 * late yields an outcome, never an exception. The widget it makes carries what does not change
 * from one page view to the next: its accessibility heading, each item's one-based position, and
 * the part of its logging data that is the binder's (visibility rule, recommendation request id).
 */
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import { WidgetSchema, type Widget } from "../protos/gen/tessera/page/v1/widget_pb.js";
import type { ResolvedPlacement } from "./layouts/resolver.ts";
import type { RequestContext } from "../widget-registry/context.ts";
import {
  DEFAULT_DEADLINE_MS,
  DEFAULT_IMPRESSION,
  DEFAULT_MAX_ITEMS,
  NotFound,
  HEADING_MESSAGE,
  type Binder,
  type DdsFacade,
} from "../widget-registry/sdk.ts";
import type { Item, ItemLogging } from "../protos/gen/tessera/widgets/v1/item_pb.js";
import { ItemSchema } from "../protos/gen/tessera/widgets/v1/item_pb.js";
import type { WidgetLogging } from "../protos/gen/tessera/page/v1/logging_pb.js";
import { hasMessage, translator } from "./localize.ts";

export type BinderOutcome =
  | {
      outcome: "ok";
      widget: Widget;
      /** The cursor of the widget's next page ("" for none): the binder's `nextCursor`, when it pages. */
      nextCursor: string;
      durationMs: number;
      bindMs: number;
      /** What the binder's fetch returned. */
      data: unknown;
      /** The widget's bytes, when it was not bound but reused (`ReuseBound`). */
      bytes?: Uint8Array;
    }
  | { outcome: "error" | "timeout" | "empty" | "not-found"; message: string; durationMs: number; bindMs: number };

const BODY_MESSAGES = new Map(
  WidgetSchema.oneofs.find((oneof) => oneof.name === "body")!.fields.map((field) => [field.localName, field.message!]),
);

/** Per body message, its repeated Item fields: the items the runtime numbers. */
const ITEM_LISTS = new Map(
  [...BODY_MESSAGES].map(([body, schema]) => [
    body,
    schema.fields.filter((field) => field.fieldKind === "list" && field.message?.typeName === ItemSchema.typeName).map((f) => f.localName),
  ]),
);

class DeadlineExceeded extends Error {}

/** Settles with `work`, or rejects when the binder's signal aborts at its deadline, letting go of the work. */
function untilDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}

/** Cuts every repeated field of the body to `maxItems`: the runtime, not the binder, enforces the cap. */
function capItems(body: Message, schema: DescMessage, maxItems: number): void {
  const record = body as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    const value = record[field.localName];
    if (field.fieldKind === "list" && Array.isArray(value) && value.length > maxItems) value.length = maxItems;
  }
}

/** An item's logging data at each one-based position: frozen and shared, as every page numbers its items alike. */
const ITEM_LOGGING: ItemLogging[] = [];
const itemLogging = (position: number): ItemLogging =>
  (ITEM_LOGGING[position] ??= Object.freeze({ $typeName: "tessera.widgets.v1.ItemLogging", position }));

/** Gives every item of the body its one-based position in its list (`Item.logging`); the binder's items are copied, not changed. */
function numberItems(body: Message, lists: readonly string[]): void {
  const record = body as unknown as Record<string, Item[]>;
  for (const name of lists) record[name] = record[name]!.map((item, index) => ({ ...item, logging: itemLogging(index + 1) }));
}

/** The widget's heading: its `heading` message when the binder has one, else its body's title ("" without). */
function headingOf(binder: Binder, body: Message, t: (key: string) => string): string {
  if (hasMessage(binder.messages, HEADING_MESSAGE)) return t(HEADING_MESSAGE);
  const title = (body as unknown as { title?: unknown }).title;
  return typeof title === "string" ? title : "";
}

/** The logging data the binder decides, the same in every page view of the widget. */
function bindersLogging(binder: Binder, recoRequestId: string): WidgetLogging {
  const { visiblePercent, durationMs } = binder.impression ?? DEFAULT_IMPRESSION;
  return {
    $typeName: "tessera.page.v1.WidgetLogging",
    pageViewId: "",
    instanceId: "",
    position: 0,
    variantId: "",
    experimentFlag: "",
    experimentVariation: "",
    recoRequestId,
    visibility: { $typeName: "tessera.page.v1.VisibilityRule", visiblePercent, durationMs },
  };
}

/** Output bound before from the same data, encoded: given back instead of binding again. */
export type ReuseBound = (data: unknown) => Reused | undefined;
interface Reused {
  widget: Widget;
  bytes: Uint8Array;
  nextCursor: string;
}

/**
 * `deadline` is aborted when the binder's deadline passes (one of its own when not given): the caller
 * may have given its signal to what the binder uses, such as its DDS facade, so that it stops too.
 */
export async function runBinder(
  binder: Binder,
  placement: ResolvedPlacement,
  requestCtx: RequestContext,
  dds: DdsFacade & { readonly recoRequestId?: string },
  controller = new AbortController(),
  reuse?: ReuseBound,
): Promise<BinderOutcome> {
  const started = performance.now();
  let bindMs = 0;
  const deadlineMs = binder.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(`missed its ${deadlineMs} ms deadline`)), deadlineMs);
  const ctx = {
    ...requestCtx,
    templateVersion: placement.templateVersion,
    t: translator(binder.messages, requestCtx.locale),
    signal: controller.signal,
    cursor: placement.cursor ?? "",
  };
  let nextCursor = "";
  let data: unknown;
  let reused: Reused | undefined;
  try {
    const body = await untilDeadline(
      (async () => {
        data = await binder.fetch(ctx, placement.config, dds);
        reused = reuse?.(data);
        if (reused) return undefined;
        const bindStarted = performance.now();
        const bound = binder.bind(data, ctx, placement.config);
        if (bound && binder.nextCursor) nextCursor = binder.nextCursor(data, ctx, placement.config);
        bindMs = performance.now() - bindStarted;
        return bound;
      })(),
      controller.signal,
    );
    const durationMs = performance.now() - started;
    if (reused) return { outcome: "ok", ...reused, durationMs, bindMs, data };
    if (!body) return { outcome: "empty", message: "nothing to show", durationMs, bindMs };
    const schema = BODY_MESSAGES.get(binder.body)!;
    capItems(body as Message, schema, binder.maxItems ?? DEFAULT_MAX_ITEMS);
    numberItems(body as Message, ITEM_LISTS.get(binder.body)!);
    const widget = create(WidgetSchema, {
      instanceId: placement.instanceId,
      type: placement.type,
      templateVersion: placement.templateVersion,
      logging: bindersLogging(binder, dds.recoRequestId ?? ""),
      accessibilityHeading: headingOf(binder, body as Message, ctx.t),
      body: { case: binder.body, value: body } as Widget["body"],
    });
    return { outcome: "ok", widget, nextCursor, durationMs, bindMs, data };
  } catch (error) {
    const outcome = error instanceof DeadlineExceeded ? "timeout" : error instanceof NotFound ? "not-found" : "error";
    const message = error instanceof Error ? error.message : String(error);
    return { outcome, message, durationMs: performance.now() - started, bindMs };
  } finally {
    clearTimeout(timer);
  }
}
