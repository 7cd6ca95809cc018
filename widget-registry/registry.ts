/** Every widget type this server can compose, with its template versions; knows no concrete binder. */
import { LRUCache } from "lru-cache";
import semver from "semver";
import { z } from "zod";
import { WidgetSchema } from "../protos/gen/tessera/page/v1/widget_pb.js";
import { PLATFORMS, type Platform } from "./context.ts";
import { SDK_VERSION, type Binder, type CacheScope, type TemplateStatus, type TemplateVersion } from "./sdk.ts";

export interface WidgetRegistry {
  get(type: string): Binder | undefined;
  list(): readonly Binder[];
  /**
   * The template version to serve: the newest one that is not retired and that this client
   * renders, or the pinned one if the client renders it; undefined when none fits.
   */
  chooseTemplate(type: string, platform: Platform, clientVersion: string, pinned?: string): TemplateVersion | undefined;
}

const BODY_CASES = new Set(WidgetSchema.oneofs.find((oneof) => oneof.name === "body")!.fields.map((f) => f.localName));

const TEMPLATE_STATUSES: readonly TemplateStatus[] = ["experimental", "active", "deprecated", "retired"];
const CACHE_SCOPES: readonly CacheScope[] = ["public", "persona", "user"];

function jsonSchemaError(schema: z.ZodType): string | undefined {
  try {
    z.toJSONSchema(schema, { io: "input" });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Why a binder cannot be registered, or undefined when it can. */
export function binderProblem(binder: Binder): string | undefined {
  if (typeof binder?.type !== "string" || !/^[a-z][a-z0-9-]*$/.test(binder.type)) return 'type must be kebab-case, e.g. "my-tray"';
  if (binder.sdkVersion !== undefined) {
    if (typeof binder.sdkVersion !== "string" || !semver.validRange(binder.sdkVersion))
      return `sdkVersion "${String(binder.sdkVersion)}" is not a semver range`;
    if (!semver.satisfies(SDK_VERSION, binder.sdkVersion))
      return `written for SDK ${binder.sdkVersion}; this server has SDK ${SDK_VERSION}`;
  }
  if (!BODY_CASES.has(binder.body)) return `body "${String(binder.body)}" is not a field of tessera.page.v1.Widget.body`;
  if (!Array.isArray(binder.templates) || binder.templates.length === 0) return "needs at least one template version";
  const versions = new Set<string>();
  for (const template of binder.templates) {
    if (typeof template?.version !== "string" || template.version === "") return "every template needs a version string";
    if (versions.has(template.version)) return `template version "${template.version}" is declared twice`;
    versions.add(template.version);
    if (!TEMPLATE_STATUSES.includes(template.status))
      return `template ${template.version}: status must be one of ${TEMPLATE_STATUSES.join(", ")}`;
    for (const [platform, version] of Object.entries(template.minClientVersion ?? {})) {
      if (!(PLATFORMS as readonly string[]).includes(platform))
        return `template ${template.version}: minClientVersion names unknown platform "${platform}"`;
      if (!semver.valid(String(version)))
        return `template ${template.version}: minClientVersion.${platform} "${version}" is not a semantic version`;
    }
  }
  if (typeof binder.configSchema?.safeParse !== "function") return "configSchema must be a zod schema";
  const jsonSchemaProblem = jsonSchemaError(binder.configSchema);
  if (jsonSchemaProblem) return `configSchema cannot be exported as JSON Schema for the dashboard: ${jsonSchemaProblem}`;
  if (!CACHE_SCOPES.includes(binder.cacheScope)) return `cacheScope must be one of ${CACHE_SCOPES.join(", ")}`;
  for (const limit of ["deadlineMs", "maxItems"] as const) {
    const value = binder[limit];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) return `${limit} must be a positive integer`;
  }
  if (binder.impression !== undefined) {
    const { visiblePercent, durationMs } = binder.impression ?? {};
    if (!(Number.isInteger(visiblePercent) && visiblePercent >= 1 && visiblePercent <= 100))
      return "impression.visiblePercent must be an integer from 1 to 100";
    if (!(Number.isInteger(durationMs) && durationMs >= 0 && durationMs <= 10_000))
      return "impression.durationMs must be an integer from 0 to 10000";
  }
  if (typeof binder.fetch !== "function" || typeof binder.bind !== "function") return "needs fetch and bind functions";
  return undefined;
}

export function createWidgetRegistry(binders: readonly Binder[]): WidgetRegistry {
  const byType = new Map<string, Binder>();
  for (const binder of binders) {
    const problem = binderProblem(binder);
    if (problem) throw new Error(`binder ${JSON.stringify(binder?.type)}: ${problem}`);
    if (byType.has(binder.type)) throw new Error(`two binders claim widget type "${binder.type}"`);
    byType.set(binder.type, binder);
  }

  const chosen = new LRUCache<string, { template: TemplateVersion | undefined }>({ max: 10_000 });
  return {
    get: (type) => byType.get(type),
    list: () => [...byType.values()],
    chooseTemplate(type, platform, clientVersion, pinned) {
      // Every placement of every page asks this: semver parsing is worth doing once per client version.
      const key = `${type}\u0000${platform}\u0000${clientVersion}\u0000${pinned ?? ""}`;
      const known = chosen.get(key);
      if (known) return known.template;
      const template = choose(type, platform, clientVersion, pinned);
      chosen.set(key, { template });
      return template;
    },
  };

  function choose(type: string, platform: Platform, clientVersion: string, pinned?: string): TemplateVersion | undefined {
    const binder = byType.get(type);
    if (!binder) return undefined;
    const version = semver.coerce(clientVersion)?.version ?? "0.0.0";
    const renders = (template: TemplateVersion) => {
      const min = template.minClientVersion[platform];
      return template.status !== "retired" && min !== undefined && semver.gte(version, min);
    };
    const candidates = pinned ? binder.templates.filter((t) => t.version === pinned) : [...binder.templates].reverse();
    return candidates.find(renders);
  }
}
