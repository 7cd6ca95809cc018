/**
 * Runs one binder for one placement under its guard rails: its deadline, its maximum items, and
 * failure isolation. A binder that throws or runs late yields an outcome, never an exception.
 */
import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import { WidgetSchema, type Widget } from "../protos/gen/tessera/page/v1/widget_pb.js";
import type { ResolvedPlacement } from "./layouts/resolver.ts";
import type { RequestContext } from "../widget-registry/context.ts";
import { DEFAULT_DEADLINE_MS, DEFAULT_MAX_ITEMS, type Binder, type DdsFacade } from "../widget-registry/sdk.ts";
import { translator } from "./localize.ts";

export type BinderOutcome =
  | { outcome: "ok"; widget: Widget; durationMs: number; bindMs: number }
  | { outcome: "error" | "timeout" | "empty"; message: string; durationMs: number; bindMs: number };

const BODY_MESSAGES = new Map(
  WidgetSchema.oneofs.find((oneof) => oneof.name === "body")!.fields.map((field) => [field.localName, field.message!]),
);

class DeadlineExceeded extends Error {}

function withDeadline<T>(work: Promise<T>, deadlineMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`missed its ${deadlineMs} ms deadline`)), deadlineMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Cuts every repeated field of the body to `maxItems`: the runtime, not the binder, enforces the cap. */
function capItems(body: Message, schema: DescMessage, maxItems: number): void {
  const record = body as unknown as Record<string, unknown>;
  for (const field of schema.fields) {
    const value = record[field.localName];
    if (field.fieldKind === "list" && Array.isArray(value) && value.length > maxItems) value.length = maxItems;
  }
}

export async function runBinder(
  binder: Binder,
  placement: ResolvedPlacement,
  requestCtx: RequestContext,
  dds: DdsFacade,
): Promise<BinderOutcome> {
  const started = performance.now();
  let bindMs = 0;
  const ctx = { ...requestCtx, templateVersion: placement.templateVersion, t: translator(binder.messages, requestCtx.locale) };
  try {
    const body = await withDeadline(
      (async () => {
        const data = await binder.fetch(ctx, placement.config, dds);
        const bindStarted = performance.now();
        const bound = binder.bind(data, ctx, placement.config);
        bindMs = performance.now() - bindStarted;
        return bound;
      })(),
      binder.deadlineMs ?? DEFAULT_DEADLINE_MS,
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
    return { outcome: "ok", widget, durationMs, bindMs };
  } catch (error) {
    const outcome = error instanceof DeadlineExceeded ? "timeout" : "error";
    const message = error instanceof Error ? error.message : String(error);
    return { outcome, message, durationMs: performance.now() - started, bindMs };
  }
}
