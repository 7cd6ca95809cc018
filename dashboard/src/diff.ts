/** What a draft changes against another layout (usually the published one), as a short list of readable changes. */
import type { PageLayout, Placement, Variant } from "./types.ts";

export type ChangeKind = "added" | "removed" | "moved" | "changed";

export interface Change {
  kind: ChangeKind;
  /** The variant it is in; "" for the page itself. */
  variantId: string;
  /** The placement, when the change is to one. */
  instanceId?: string;
  /** What changed, e.g. "config.limit" or "match.cohorts". */
  field?: string;
  before?: string;
  after?: string;
  /** Positions, 1-based, for placements. */
  from?: number;
  to?: number;
}

const show = (value: unknown): string => (value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value));

function fieldChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
): { field: string; before: string; after: string }[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => ({ field: `${prefix}${key}`, before: show(before[key]), after: show(after[key]) }));
}

/** Ids in both lists that keep their relative order: the longest common subsequence. */
function stableIds(a: readonly string[], b: readonly string[]): Set<string> {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const kept = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      kept.add(a[i]!);
      i++;
      j++;
    } else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

function placementFields(placement: Placement): Record<string, unknown> {
  const { instanceId: _id, config: _config, ...rest } = placement;
  return rest;
}

function variantChanges(before: Variant, after: Variant): Change[] {
  const variantId = after.id;
  const changes: Change[] = [];
  if ((before.description ?? "") !== (after.description ?? "")) {
    changes.push({ kind: "changed", variantId, field: "description", before: show(before.description), after: show(after.description) });
  }
  for (const field of fieldChanges(before.match as Record<string, unknown>, after.match as Record<string, unknown>, "match.")) {
    changes.push({ kind: "changed", variantId, ...field });
  }
  const beforeIds = before.placements.map((p) => p.instanceId);
  const afterIds = after.placements.map((p) => p.instanceId);
  const common = afterIds.filter((id) => beforeIds.includes(id));
  const stable = stableIds(
    beforeIds.filter((id) => afterIds.includes(id)),
    common,
  );
  after.placements.forEach((placement, index) => {
    const oldIndex = beforeIds.indexOf(placement.instanceId);
    if (oldIndex < 0) {
      changes.push({ kind: "added", variantId, instanceId: placement.instanceId, after: placement.type, to: index + 1 });
      return;
    }
    if (!stable.has(placement.instanceId)) {
      changes.push({ kind: "moved", variantId, instanceId: placement.instanceId, from: oldIndex + 1, to: index + 1 });
    }
    const old = before.placements[oldIndex]!;
    for (const field of [
      ...fieldChanges(placementFields(old), placementFields(placement), ""),
      ...fieldChanges(old.config, placement.config, "config."),
    ]) {
      changes.push({ kind: "changed", variantId, instanceId: placement.instanceId, ...field });
    }
  });
  before.placements.forEach((placement, index) => {
    if (!afterIds.includes(placement.instanceId)) {
      changes.push({ kind: "removed", variantId, instanceId: placement.instanceId, before: placement.type, from: index + 1 });
    }
  });
  return changes;
}

export function diffLayouts(before: PageLayout | undefined, after: PageLayout): Change[] {
  if (!before) return after.variants.map((variant) => ({ kind: "added" as const, variantId: variant.id }));
  const changes: Change[] = [];
  for (const variant of after.variants) {
    const old = before.variants.find((v) => v.id === variant.id);
    if (old) changes.push(...variantChanges(old, variant));
    else changes.push({ kind: "added", variantId: variant.id });
  }
  for (const variant of before.variants) {
    if (!after.variants.some((v) => v.id === variant.id)) changes.push({ kind: "removed", variantId: variant.id });
  }
  const beforeOrder = before.variants.map((v) => v.id).join(",");
  const afterOrder = after.variants.map((v) => v.id).join(",");
  if (beforeOrder !== afterOrder && changes.every((c) => c.instanceId || c.field)) {
    changes.push({ kind: "changed", variantId: "", field: "variant order", before: beforeOrder, after: afterOrder });
  }
  return changes;
}
