/**
 * Layout resolution for the compositor: for a published layout and a request, the matching
 * variant's placements, each with the template version this client renders and its parsed config.
 */
import semver from "semver";
import type { RequestContext } from "../../widget-registry/context.ts";
import type { WidgetRegistry } from "../../widget-registry/registry.ts";
import { traceLayoutResolution } from "../telemetry/composition-spans.ts";
import { tracingEnabled } from "../telemetry/tracing.ts";
import { isWithin, type PageLayout, type PublishedLayout, type Variant, type VariantMatch } from "../../layout-service/model.ts";

export interface ResolvedPlacement {
  /** Zero-based index of the placement in the variant. */
  position: number;
  instanceId: string;
  type: string;
  templateVersion: string;
  /** Parsed by the widget's config schema, defaults applied. */
  config: unknown;
  essential: boolean;
  /** Answered as a placeholder in the page, its widget fetched later through the widget endpoint. */
  deferred: boolean;
  /** Which page of its items to bind (a paging binder's cursor); absent or "" for the first. */
  cursor?: string;
}

export interface Omission {
  position: number;
  instanceId: string;
  type: string;
  /** "unsupported-client", "unknown-widget", "invalid-config", or at compose time "error", "timeout", "empty", "not-found". */
  reason: string;
  message: string;
  essential: boolean;
}

export interface ExperimentExposure {
  flag: string;
  variation: string;
}

export interface ResolvedLayout {
  pageId: string;
  layoutVersion: string;
  variantId: string;
  placements: ResolvedPlacement[];
  omitted: Omission[];
  experiments: ExperimentExposure[];
}

export interface LayoutResolver {
  /** The layout as this request gets it (a published layout, or a draft to preview); undefined when no variant matches. */
  resolveLayout(published: PublishedLayout, ctx: RequestContext): ResolvedLayout | undefined;
}

export interface ResolverOptions {
  registry: WidgetRegistry;
  /** The clock, injectable for schedule tests. */
  now?: () => number;
}

/**
 * How specific a match is: one point per condition it sets. The most specific matching variant
 * wins; between equally specific ones, the first in the layout wins.
 */
export function specificity(match: VariantMatch): number {
  return Object.values(match).filter((condition) => condition !== undefined).length;
}

export function variantMatches(match: VariantMatch, ctx: RequestContext, nowMs: number): boolean {
  if (match.platforms && !match.platforms.includes(ctx.platform)) return false;
  if (match.regions && !match.regions.includes(ctx.region)) return false;
  if (match.cohorts && !match.cohorts.includes(ctx.cohort)) return false;
  if (match.clientVersion) {
    const version = semver.coerce(ctx.clientVersion)?.version;
    if (!version || !semver.satisfies(version, match.clientVersion)) return false;
  }
  if (match.experiment && ctx.flags.variation(match.experiment.flag, "") !== match.experiment.variation) return false;
  return isWithin(match.schedule, nowMs);
}

export function chooseVariant(layout: PageLayout, ctx: RequestContext, nowMs: number): Variant | undefined {
  let best: Variant | undefined;
  for (const variant of layout.variants) {
    if (!variantMatches(variant.match, ctx, nowMs)) continue;
    if (!best || specificity(variant.match) > specificity(best.match)) best = variant;
  }
  return best;
}

/** The request as it would be with another variation of one flag. */
function withVariation(ctx: RequestContext, flag: string, variation: string): RequestContext {
  const flags = ctx.flags;
  return {
    ...ctx,
    flags: {
      isOn: (f, fallback) => flags.isOn(f, fallback),
      variation: (f, fallback) => (f === flag ? variation : flags.variation(f, fallback)),
    },
  };
}

/**
 * The experiments the request was exposed to: each flag the page's variants are bound to whose
 * variation decided the variant served: the served variant is bound to it, or another of its
 * variations would have served another variant (a control left to an unbound variant). A request
 * whose variant no variation changes (say, a cohort with a variant of its own) is not in the experiment.
 */
function exposures(layout: PageLayout, ctx: RequestContext, nowMs: number, served: Variant): ExperimentExposure[] {
  const bound = new Map<string, Set<string>>();
  for (const { match } of layout.variants) {
    if (match.experiment) bound.set(match.experiment.flag, (bound.get(match.experiment.flag) ?? new Set()).add(match.experiment.variation));
  }
  return [...bound].flatMap(([flag, variations]) => {
    const variation = ctx.flags.variation(flag, "");
    if (variation === "") return [];
    const decided =
      served.match.experiment?.flag === flag ||
      [...variations].some((other) => chooseVariant(layout, withVariation(ctx, flag, other), nowMs) !== served);
    return decided ? [{ flag, variation }] : [];
  });
}

export function createLayoutResolver(options: ResolverOptions): LayoutResolver {
  const { registry } = options;
  const now = options.now ?? Date.now;
  // Parsing a config is the same work for every request of a published version: do it once.
  const parsedConfigs = new WeakMap<object, { ok: true; config: unknown } | { ok: false; message: string }>();

  function parseConfig(placement: Variant["placements"][number]) {
    let parsed = parsedConfigs.get(placement);
    if (!parsed) {
      const result = registry.get(placement.type)!.configSchema.safeParse(placement.config);
      parsed = result.success ? { ok: true, config: result.data } : { ok: false, message: result.error.message };
      parsedConfigs.set(placement, parsed);
    }
    return parsed;
  }

  function resolveLayout(published: PublishedLayout, ctx: RequestContext): ResolvedLayout | undefined {
    const pageId = published.layout.pageId;
    const nowMs = now();
    const variant = chooseVariant(published.layout, ctx, nowMs);
    if (!variant) return undefined;

    const placements: ResolvedPlacement[] = [];
    const omitted: Omission[] = [];
    variant.placements.forEach((placement, position) => {
      if (!isWithin(placement.schedule, nowMs)) return;
      const base = { position, instanceId: placement.instanceId, type: placement.type, essential: placement.essential };
      if (!registry.get(placement.type)) {
        omitted.push({ ...base, reason: "unknown-widget", message: `no binder for widget type "${placement.type}"` });
        return;
      }
      const pinned = placement.templateVersion === "newest" ? undefined : placement.templateVersion;
      const template = registry.chooseTemplate(placement.type, ctx.platform, ctx.clientVersion, pinned);
      if (!template) {
        omitted.push({
          ...base,
          reason: "unsupported-client",
          message: `${ctx.platform} ${ctx.clientVersion} renders no template of "${placement.type}"`,
        });
        return;
      }
      const parsed = parseConfig(placement);
      if (!parsed.ok) {
        omitted.push({ ...base, reason: "invalid-config", message: parsed.message });
        return;
      }
      placements.push({ ...base, templateVersion: template.version, config: parsed.config, deferred: placement.deferred });
    });

    return {
      pageId,
      layoutVersion: String(published.version),
      variantId: variant.id,
      placements,
      omitted,
      experiments: exposures(published.layout, ctx, nowMs, variant),
    };
  }

  return {
    resolveLayout: (published, ctx) =>
      tracingEnabled ? traceLayoutResolution(published.layout.pageId, () => resolveLayout(published, ctx)) : resolveLayout(published, ctx),
  };
}
