/**
 * The layout model: a page has variants matched on the request; a variant is an ordered list of placements.
 * This is its one source: the layout messages of layout.proto and the dashboard's layout types mirror
 * it, and test/layout-service/layout-model.test.ts fails when either drifts.
 */
import { z } from "zod";
import { PAGE_ID, PAGE_ID_RULE } from "./page-id.ts";
import { PARAMETER_KIND_NAMES, PARAMETER_NAME, PARAMETER_NAME_RULE } from "./page-parameters.ts";

export const scheduleWindowSchema = z
  .object({
    /** ISO 8601 instant from which it applies (inclusive). */
    from: z.iso.datetime({ offset: true }).optional(),
    /** ISO 8601 instant until which it applies (exclusive). */
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const placementSchema = z
  .object({
    instanceId: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and dashes"),
    type: z.string().min(1),
    /** A template version, or "newest" for the newest one the client supports. */
    templateVersion: z.string().default("newest"),
    config: z.record(z.string(), z.unknown()).default({}),
    schedule: scheduleWindowSchema.optional(),
    /** A page whose essential placement fails is not served (503) rather than served without it. */
    essential: z.boolean().default(false),
    /** Below the fold: the page holds a placeholder, and the client fetches the widget after the first response. */
    deferred: z.boolean().default(false),
  })
  .strict();

export const variantMatchSchema = z
  .object({
    platforms: z
      .array(z.enum(["web", "android", "ios", "tv"]))
      .min(1)
      .optional(),
    regions: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .min(1)
      .optional(),
    cohorts: z.array(z.string().min(1)).min(1).optional(),
    /** A semver range, e.g. ">=5.0.0" or "<4.0.0". */
    clientVersion: z.string().optional(),
    experiment: z
      .object({ flag: z.string().min(1), variation: z.string().min(1) })
      .strict()
      .optional(),
    schedule: scheduleWindowSchema.optional(),
  })
  .strict();

export const variantSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    description: z.string().optional(),
    match: variantMatchSchema.default({}),
    placements: z.array(placementSchema),
  })
  .strict();

/** A parameter the page takes (a query parameter, a GetPageRequest.parameters entry): every request must name it. */
export const pageParameterSchema = z
  .object({
    name: z.string().regex(PARAMETER_NAME, PARAMETER_NAME_RULE),
    /** What values it takes (page-parameters.ts): "content-id" (e.g. m12) or "text" (1 to 64 safe characters). */
    kind: z.enum(PARAMETER_KIND_NAMES),
    /** The value a layout preview composes the page with. */
    example: z.string().optional(),
  })
  .strict();

export const pageLayoutSchema = z
  .object({
    pageId: z.string().regex(PAGE_ID, PAGE_ID_RULE),
    variants: z.array(variantSchema).min(1),
    /** The parameters the page takes, e.g. the title page's contentId; none when absent. */
    parameters: z.array(pageParameterSchema).max(8).optional(),
  })
  .strict();

export type ScheduleWindow = z.infer<typeof scheduleWindowSchema>;
export type Placement = z.infer<typeof placementSchema>;
export type VariantMatch = z.infer<typeof variantMatchSchema>;
export type Variant = z.infer<typeof variantSchema>;
export type PageLayout = z.infer<typeof pageLayoutSchema>;
export type PageParameterSpec = z.infer<typeof pageParameterSchema>;

/** A published layout: immutable once written. */
export interface PublishedLayout {
  layout: PageLayout;
  version: number;
}

export function isWithin(window: ScheduleWindow | undefined, nowMs: number): boolean {
  if (!window) return true;
  if (window.from && nowMs < Date.parse(window.from)) return false;
  if (window.until && nowMs >= Date.parse(window.until)) return false;
  return true;
}
