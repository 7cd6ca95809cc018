/**
 * Runs one binder the way the compositor does — the real binder runtime (deadline, maxItems,
 * isolation) over the real request-scoped DDS facade (batching) — and reports what it produced,
 * which DDS calls it made and how long it took.
 */
import { isDeepStrictEqual } from "node:util";
import { runBinder } from "../../compositor/binder-runtime.ts";
import { createRequestDds } from "../../compositor/dds-facade.ts";
import type { DdsCallEvent } from "../../compositor/hooks.ts";
import type { Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import { NO_FLAGS, type Flags, type RequestContext } from "../context.ts";
import { exampleDimensions } from "../request-dimensions.ts";
import { binderProblem, createWidgetRegistry } from "../registry.ts";
import type { Binder, BinderContext, WidgetBody, WidgetBodyCase } from "../sdk.ts";
import { demoDds, type DdsClient } from "./dds.ts";

/** A request context for tests: a signed-in adult web user in English, unless the test says otherwise. */
export function testContext(overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    requestId: "test",
    userId: "u1",
    ...exampleDimensions(),
    persona: "p1",
    region: "US",
    flags: NO_FLAGS,
    params: {},
    ...overrides,
  };
}

/** Flags with fixed values, as LaunchDarkly would evaluate them for the request. */
export function testFlags(values: Record<string, boolean | string>): Flags {
  return {
    isOn: (flag, fallback = false) => (typeof values[flag] === "boolean" ? (values[flag] as boolean) : fallback),
    variation: (flag, fallback) => (typeof values[flag] === "string" ? (values[flag] as string) : fallback),
  };
}

export interface TestRunOptions {
  /** Overrides of `testContext()`'s defaults. */
  ctx?: Partial<RequestContext>;
  /** The placement's config as an operator writes it; parsed by the binder's schema (defaults applied). */
  config?: unknown;
  /** `demoDds()` (the default), `fixtureDds(...)`, or any DDS client. */
  dds?: DdsClient;
  /** Pins a template version; by default the newest one the context's client renders. */
  templateVersion?: string;
  /** Which page of its items a paging binder binds: a cursor its `nextCursor` gave; "" (the default) for the first. */
  cursor?: string;
  /** The page's parameters, e.g. `{ contentId: "m12" }` (`ctx.params`); shorthand for `ctx: { params }`. */
  params?: Record<string, string>;
}

/** One batch call that reached a DDS. */
export type DdsCallRecord = Omit<DdsCallEvent, "ctx">;

export interface BinderRun<Body = unknown> {
  outcome: "ok" | "error" | "timeout" | "empty" | "not-found";
  /** The widget envelope, when the outcome is "ok". */
  widget?: Widget;
  /** The widget's body message (the binder's output after the runtime's maxItems cut), when "ok". */
  body?: Body;
  /** Why the widget would be left out of the page, when not "ok". */
  message?: string;
  /** A paging binder's cursor of its next items ("" at its last), when "ok". */
  nextCursor?: string;
  /** The batch calls that reached the DDS, in order. */
  ddsCalls: DdsCallRecord[];
  /** How many calls the binder made on its DDS facade (before batching). */
  facadeCalls: number;
  /** Message keys the binder asked `ctx.t` for. */
  messageKeys: string[];
  templateVersion: string;
  timing: { durationMs: number; bindMs: number };
}

/** Records every `ctx.t` key a binder asks for, without changing what it gets. */
function recordingKeys(binder: Binder, keys: Set<string>): Binder {
  const recording = (ctx: BinderContext): BinderContext => ({
    ...ctx,
    t: (key, params) => {
      keys.add(key);
      return ctx.t(key, params);
    },
  });
  return {
    ...binder,
    fetch: (ctx, config, dds) => binder.fetch(recording(ctx), config, dds),
    bind: (data, ctx, config) => binder.bind(data, recording(ctx), config),
  };
}

/**
 * Fails the run (outcome "error") when `bind` changes its data: a user-scoped widget is reused, not
 * bound again, while its fetch returns data equal to the last (README, "Caching"). Data that cannot
 * be copied (functions in it) is not checked.
 */
function checkingData(binder: Binder): Binder {
  return {
    ...binder,
    bind(data, ctx, config) {
      let before: unknown;
      try {
        before = structuredClone(data);
      } catch {
        return binder.bind(data, ctx, config);
      }
      const bound = binder.bind(data, ctx, config);
      // Both sides copied: a copy has plain prototypes, which the binder's own objects may not.
      if (!isDeepStrictEqual(before, structuredClone(data)))
        throw new Error(`${binder.type}: bind changed its data; it must leave it as fetch returned it`);
      return bound;
    },
  };
}

/** Runs `binder` once for one placement; throws only when the binder, its config or the template choice is invalid. */
export async function testBinder<Case extends WidgetBodyCase>(
  binder: Binder & { body: Case },
  options: TestRunOptions = {},
): Promise<BinderRun<WidgetBody<Case>>> {
  const problem = binderProblem(binder);
  if (problem) throw new Error(`binder ${JSON.stringify(binder.type)}: ${problem}`);
  const ctx = testContext({ ...options.ctx, ...(options.params && { params: Object.freeze({ ...options.params }) }) });
  const parsed = binder.configSchema.safeParse(options.config ?? {});
  if (!parsed.success) throw new Error(`config of ${binder.type} is invalid: ${parsed.error.message}`);
  const template = createWidgetRegistry([binder]).chooseTemplate(binder.type, ctx.platform, ctx.clientVersion, options.templateVersion);
  if (!template)
    throw new Error(
      `${ctx.platform} ${ctx.clientVersion} renders no template${options.templateVersion ? ` ${options.templateVersion}` : ""} of "${binder.type}"`,
    );

  const ddsCalls: DdsCallRecord[] = [];
  const requestDds = createRequestDds(options.dds ?? demoDds(), ctx, {
    ddsCall: ({ ctx: _ctx, ...call }) => ddsCalls.push(call),
  });
  // As in the compositor: past its deadline, the binder's facade loads nothing more.
  const deadline = new AbortController();
  const facade = requestDds.forBinder(deadline.signal);
  const keys = new Set<string>();
  const placement = {
    position: 0,
    instanceId: `${binder.type}-test`,
    type: binder.type,
    templateVersion: template.version,
    config: parsed.data,
    essential: false,
    deferred: false,
    cursor: options.cursor ?? "",
  };
  const result = await runBinder(checkingData(recordingKeys(binder, keys)), placement, ctx, facade, deadline);

  const ok = result.outcome === "ok" ? result : undefined;
  return {
    outcome: result.outcome,
    widget: ok?.widget,
    body: ok?.widget.body.value as WidgetBody<Case> | undefined,
    message: result.outcome === "ok" ? undefined : result.message,
    nextCursor: ok?.nextCursor,
    ddsCalls,
    facadeCalls: facade.calls,
    messageKeys: [...keys],
    templateVersion: template.version,
    timing: { durationMs: result.durationMs, bindMs: result.bindMs },
  };
}
