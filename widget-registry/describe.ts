/** The registry as the dashboard sees it: each widget type with its templates and config JSON Schema. */
import { z } from "zod";
import type { Binder, CacheScope, TemplateVersion } from "./sdk.ts";

export interface WidgetDescription {
  type: string;
  body: string;
  templates: readonly TemplateVersion[];
  cacheScope: CacheScope;
  /** JSON Schema (draft 2020-12) of the config a placement may give, defaults optional. */
  configSchema: Record<string, unknown>;
  deadlineMs?: number;
  maxItems?: number;
}

export function describeWidget(binder: Binder): WidgetDescription {
  return {
    type: binder.type,
    body: String(binder.body),
    templates: binder.templates,
    cacheScope: binder.cacheScope,
    configSchema: z.toJSONSchema(binder.configSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>,
    deadlineMs: binder.deadlineMs,
    maxItems: binder.maxItems,
  };
}
