/**
 * The key of a public- or persona-scoped widget's output: everything that can change it. A
 * binder's cache scope is its promise that its output depends on nothing else of the request.
 */
import type { ResolvedLayout, ResolvedPlacement } from "../../layout-service/resolver.ts";
import type { RequestContext } from "../../widget-registry/context.ts";
import type { CacheScope } from "../../widget-registry/sdk.ts";

const configKeys = new WeakMap<object, string>();

/** Configs are parsed once per published placement, so their JSON is worked out once too. */
function configKey(config: unknown): string {
  if (typeof config !== "object" || config === null) return JSON.stringify(config) ?? "";
  let key = configKeys.get(config);
  if (key === undefined) {
    key = JSON.stringify(config);
    configKeys.set(config, key);
  }
  return key;
}

export interface WidgetKeyParts {
  placement: ResolvedPlacement;
  scope: Exclude<CacheScope, "user">;
  ctx: RequestContext;
  layout: Pick<ResolvedLayout, "pageId" | "layoutVersion">;
  /** The caller's entitlement plan: tiles carry entitlement badges. */
  plan: string;
  dataVersion: string;
}

export function widgetKey({ placement, scope, ctx, layout, plan, dataVersion }: WidgetKeyParts): string {
  return [
    placement.type,
    placement.templateVersion,
    placement.instanceId,
    configKey(placement.config),
    ctx.platform,
    ctx.formFactor,
    ctx.locale,
    ctx.cohort,
    ctx.region,
    scope === "persona" ? ctx.persona : "*",
    plan,
    `${layout.pageId}@${layout.layoutVersion}`,
    dataVersion,
  ].join("\u0001");
}
