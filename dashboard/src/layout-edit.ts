/** Pure edits of a page layout: each returns a new layout and leaves its input untouched. */
import type { JsonSchema, PageLayout, Placement, Variant, WidgetInfo } from "./types.ts";

export function clone<T>(value: T): T {
  return structuredClone(value);
}

function withVariant(layout: PageLayout, variantId: string, change: (variant: Variant) => Variant): PageLayout {
  return { ...layout, variants: layout.variants.map((variant) => (variant.id === variantId ? change(variant) : variant)) };
}

export function movePlacement(layout: PageLayout, variantId: string, from: number, to: number): PageLayout {
  return withVariant(layout, variantId, (variant) => {
    const placements = [...variant.placements];
    if (from < 0 || from >= placements.length || to < 0 || to >= placements.length || from === to) return variant;
    const [moved] = placements.splice(from, 1);
    placements.splice(to, 0, moved!);
    return { ...variant, placements };
  });
}

export function removePlacement(layout: PageLayout, variantId: string, index: number): PageLayout {
  return withVariant(layout, variantId, (variant) => ({ ...variant, placements: variant.placements.filter((_, i) => i !== index) }));
}

export function updatePlacement(layout: PageLayout, variantId: string, index: number, change: Partial<Placement>): PageLayout {
  return withVariant(layout, variantId, (variant) => ({
    ...variant,
    placements: variant.placements.map((placement, i) => (i === index ? { ...placement, ...change } : placement)),
  }));
}

/** A new placement of `widget` at `index` (default: the end), with the schema's defaults as its config. */
export function addPlacement(
  layout: PageLayout,
  variantId: string,
  widget: WidgetInfo,
  index?: number,
): { layout: PageLayout; index: number } {
  let at = 0;
  const next = withVariant(layout, variantId, (variant) => {
    const taken = new Set(variant.placements.map((p) => p.instanceId));
    let instanceId = widget.type;
    for (let n = 2; taken.has(instanceId); n++) instanceId = `${widget.type}-${n}`;
    const placement: Placement = {
      instanceId,
      type: widget.type,
      templateVersion: "newest",
      config: initialConfig(widget.configSchema),
      essential: false,
      deferred: false,
    };
    const placements = [...variant.placements];
    at = index === undefined ? placements.length : Math.max(0, Math.min(index, placements.length));
    placements.splice(at, 0, placement);
    return { ...variant, placements };
  });
  return { layout: next, index: at };
}

/** Defaults from the schema, and the first choice of a required enum so a new widget starts valid. */
export function initialConfig(schema: JsonSchema): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (field.default !== undefined) config[name] = clone(field.default);
    else if (schema.required?.includes(name) && field.enum?.length) config[name] = field.enum[0];
  }
  return config;
}

export function sameLayout(a: PageLayout | undefined, b: PageLayout | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function updateVariant(layout: PageLayout, variantId: string, change: Partial<Omit<Variant, "id" | "placements">>): PageLayout {
  return withVariant(layout, variantId, (variant) => ({ ...variant, ...change }));
}
