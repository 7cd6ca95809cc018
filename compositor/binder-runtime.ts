/**
 * Runs one binder for one placement under its guard rails: its deadline (the binder's `ctx.signal`
 * aborts when it passes), its maximum items, and failure isolation. A binder that throws or runs
 * late yields an outcome, never an exception.
 */
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import { WidgetSchema, type Widget } from "../protos/gen/tessera/page/v1/widget_pb.js";
import type { ResolvedPlacement } from "./layouts/resolver.ts";
import type { RequestContext } from "../widget-registry/context.ts";
import { DEFAULT_DEADLINE_MS, DEFAULT_MAX_ITEMS, NotFound, type Binder, type DdsFacade } from "../widget-registry/sdk.ts";
import { translator } from "./localize.ts";

export type BinderOutcome =
  | {
      outcome: "ok";
      widget: Widget;
      /** The cursor of the widget's next page ("" for none): the binder's `nextCursor`, when it pages. */
      nextCursor: string;
      durationMs: number;
      bindMs: number;
    }
  | { outcome: "error" | "timeout" | "empty" | "not-found"; message: string; durationMs: number; bindMs: number };

const BODY_MESSAGES = new Map(
  WidgetSchema.oneofs.find((oneof) => oneof.name === "body")!.fields.map((field) => [field.localName, field.message!]),
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

/**
 * `deadline` is aborted when the binder's deadline passes (one of its own when not given): the caller
 * may have given its signal to what the binder uses, such as its DDS facade, so that it stops too.
 */
export async function runBinder(
  binder: Binder,
  placement: ResolvedPlacement,
  requestCtx: RequestContext,
  dds: DdsFacade,
  controller = new AbortController(),
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
  try {
    const body = await untilDeadline(
      (async () => {
        const data = await binder.fetch(ctx, placement.config, dds);
        const bindStarted = performance.now();
        const bound = binder.bind(data, ctx, placement.config);
        if (bound && binder.nextCursor) nextCursor = binder.nextCursor(data, ctx, placement.config);
        bindMs = performance.now() - bindStarted;
        return bound;
      })(),
      controller.signal,
    );
    const durationMs = performance.now() - started;
    if (!body) return { outcome: "empty", message: "nothing to show", durationMs, bindMs };
    const schema = BODY_MESSAGES.get(binder.body)!;
    capItems(body as Message, schema, binder.maxItems ?? DEFAULT_MAX_ITEMS);
    const widget = create(WidgetSchema, {
      instanceId: placement.instanceId,
      type: placement.type,
      templateVersion: placement.templateVersion,
      body: { case: binder.body, value: body } as Widget["body"],
    });
    return { outcome: "ok", widget, nextCursor, durationMs, bindMs };
  } catch (error) {
    const outcome = error instanceof DeadlineExceeded ? "timeout" : error instanceof NotFound ? "not-found" : "error";
    const message = error instanceof Error ? error.message : String(error);
    return { outcome, message, durationMs: performance.now() - started, bindMs };
  } finally {
    clearTimeout(timer);
  }
}
