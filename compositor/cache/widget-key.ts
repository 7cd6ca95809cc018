/**
 * The key of a public- or persona-scoped widget's output: everything that can change it. A
 * binder's cache scope is its promise that its output depends on nothing else of the request.
 */
import type { ResolvedLayout, ResolvedPlacement } from "../layouts/resolver.ts";
import type { RequestContext } from "../../widget-registry/context.ts";
import { dimensionsKey, KEY_SEPARATOR as SEPARATOR } from "../../widget-registry/request-dimensions.ts";
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

/** What of a placement its output depends on: a page of items after the first adds its cursor. */
function placementKey(placement: ResolvedPlacement): string {
  const key = `${placement.type}${SEPARATOR}${placement.templateVersion}${SEPARATOR}${placement.instanceId}${SEPARATOR}${configKey(placement.config)}`;
  return placement.cursor ? `${key}${SEPARATOR}${placement.cursor}` : key;
}

export interface RequestKeyParts {
  ctx: RequestContext;
  layout: Pick<ResolvedLayout, "pageId" | "layoutVersion">;
  /** The caller's entitlement plan: tiles carry entitlement badges. */
  plan: string;
  dataVersion: string;
  /** Whether items are in the compact form (compact-items.ts): a client version's, not a dimension's. */
  compact: boolean;
}

/**
 * The page's parameters as a key part, by name: "" when it has none (so a page without parameters
 * keeps its keys). Names and values are of safe charsets without the separator (page-parameters.ts).
 */
export function parametersKey(params: Readonly<Record<string, string>>): string {
  const names = Object.keys(params);
  if (names.length === 0) return "";
  return `${SEPARATOR}${names
    .sort()
    .map((name) => `${name}=${params[name]}`)
    .join("&")}`;
}

/**
 * What of the request a public widget's output depends on; a persona widget's adds the persona.
 * A widget of a page with parameters keys on all of them: its binder may read any.
 */
export function requestKey({ ctx, layout, plan, dataVersion, compact }: RequestKeyParts): string {
  return `${dimensionsKey(ctx, "widget")}${SEPARATOR}${plan}${SEPARATOR}${layout.pageId}@${layout.layoutVersion}${SEPARATOR}${dataVersion}${SEPARATOR}${compact ? "compact" : "full"}${parametersKey(ctx.params)}`;
}

/** The rest of a widget's key in `scope`: a persona widget's adds the persona to the request's part. */
export function scopedRequestKey(scope: Exclude<CacheScope, "user">, ctx: RequestContext, requestPart: string): string {
  return `${scope === "persona" ? dimensionsKey(ctx, "persona") : "*"}${SEPARATOR}${requestPart}`;
}

/** Keys made before for one placement, by their scoped request part. */
interface MadeKeys {
  type: string;
  instanceId: string;
  templateVersion: string;
  byPart: Map<string, string>;
}

/**
 * Keys made before, by the placement's parsed config (one object per published placement): a
 * page's keys are then the same strings from request to request. Every cache lookup hashes a new
 * string again, where a string made before keeps its hash: that was a few percent of a page.
 */
const madeKeys = new WeakMap<object, MadeKeys[]>();
const MADE_KEYS_MAX = 256;

/** A public or persona widget's key: its placement's part, then `scopedPart` (scopedRequestKey). */
export function widgetKey(placement: ResolvedPlacement, scopedPart: string): string {
  const { config } = placement;
  if (placement.cursor || typeof config !== "object" || config === null) return `${placementKey(placement)}${SEPARATOR}${scopedPart}`;
  let made = madeKeys.get(config);
  if (made === undefined) madeKeys.set(config, (made = []));
  let keys = made.find(
    (entry) =>
      entry.type === placement.type && entry.instanceId === placement.instanceId && entry.templateVersion === placement.templateVersion,
  );
  if (keys === undefined) {
    keys = { type: placement.type, instanceId: placement.instanceId, templateVersion: placement.templateVersion, byPart: new Map() };
    if (made.length >= MADE_KEYS_MAX) made.length = 0;
    made.push(keys);
  }
  let key = keys.byPart.get(scopedPart);
  if (key === undefined) {
    if (keys.byPart.size >= MADE_KEYS_MAX) keys.byPart.clear();
    key = `${placementKey(placement)}${SEPARATOR}${scopedPart}`;
    keys.byPart.set(scopedPart, key);
  }
  return key;
}
