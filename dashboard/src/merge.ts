/**
 * Three-way merge of layouts, for a stale write: what the operator changed since the base is
 * applied on top of what others saved meanwhile. Variants and placements are matched by id, so a
 * move, an added widget and a config change on each side all survive; where both sides changed
 * the same value, the operator's (the one who is looking at it) wins.
 */
import type { PageLayout, Placement, Variant } from "./types.ts";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A value's merge: the side that changed it wins; both changed: objects key by key, else mine. */
export function mergeValue(base: unknown, mine: unknown, theirs: unknown): unknown {
  if (same(mine, base)) return theirs;
  if (same(theirs, base) || same(mine, theirs)) return mine;
  if (isObject(mine) && isObject(theirs)) {
    const from = isObject(base) ? base : {};
    const merged: Record<string, unknown> = {};
    for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
      const value = mergeValue(from[key], mine[key], theirs[key]);
      if (value !== undefined) merged[key] = value;
    }
    return merged;
  }
  return mine;
}

/** The order of the merged ids: the side that reordered wins; the other side's new ids go before their next neighbour. */
function mergeOrder(base: string[], mine: string[], theirs: string[], kept: Set<string>): string[] {
  const common = (list: string[], other: string[]) => list.filter((id) => other.includes(id));
  const mineMoved = !same(common(mine, base), common(base, mine));
  const [lead, other] = mineMoved ? [mine, theirs] : [theirs, mine];
  const order = lead.filter((id) => kept.has(id));
  [...other].reverse().forEach((id, fromEnd) => {
    if (!kept.has(id) || order.includes(id)) return;
    const next = other.slice(other.length - fromEnd).find((candidate) => order.includes(candidate));
    order.splice(next === undefined ? order.length : order.indexOf(next), 0, id);
  });
  return order;
}

function mergeList<T>(
  base: T[],
  mine: T[],
  theirs: T[],
  id: (item: T) => string,
  mergeItem: (base: T | undefined, mine: T | undefined, theirs: T | undefined) => T | undefined,
): T[] {
  const byId = (list: T[]) => new Map(list.map((item) => [id(item), item]));
  const [b, m, t] = [byId(base), byId(mine), byId(theirs)];
  const merged = new Map<string, T>();
  for (const key of new Set([...m.keys(), ...t.keys()])) {
    const item = mergeItem(b.get(key), m.get(key), t.get(key));
    if (item !== undefined) merged.set(key, item);
  }
  const order = mergeOrder([...b.keys()], [...m.keys()], [...t.keys()], new Set(merged.keys()));
  return order.map((key) => merged.get(key)!);
}

/** One side removed it: gone, unless the other side changed it meanwhile. */
function mergeItem<T>(
  base: T | undefined,
  mine: T | undefined,
  theirs: T | undefined,
  inner: (base: T | undefined, mine: T, theirs: T) => T,
): T | undefined {
  if (mine === undefined && theirs === undefined) return undefined;
  if (mine === undefined) return base !== undefined && same(theirs, base) ? undefined : theirs;
  if (theirs === undefined) return base !== undefined && same(mine, base) ? undefined : mine;
  return inner(base, mine, theirs);
}

const mergePlacement = (base: Placement | undefined, mine: Placement, theirs: Placement) => mergeValue(base, mine, theirs) as Placement;

function mergeVariant(base: Variant | undefined, mine: Variant, theirs: Variant): Variant {
  const { placements: mp, ...mineRest } = mine;
  const { placements: tp, ...theirsRest } = theirs;
  const { placements: bp = [], ...baseRest } = base ?? { placements: [] };
  return {
    ...(mergeValue(baseRest, mineRest, theirsRest) as Omit<Variant, "placements">),
    placements: mergeList(
      bp,
      mp,
      tp,
      (p) => p.instanceId,
      (b, m, t) => mergeItem(b, m, t, mergePlacement),
    ),
  };
}

export function mergeLayouts(base: PageLayout, mine: PageLayout, theirs: PageLayout): PageLayout {
  return {
    // The dashboard does not edit parameters: theirs are the latest.
    ...(theirs.parameters ? { parameters: theirs.parameters } : {}),
    pageId: theirs.pageId,
    variants: mergeList(
      base.variants,
      mine.variants,
      theirs.variants,
      (v) => v.id,
      (b, m, t) => mergeItem(b, m, t, mergeVariant),
    ),
  };
}
