/**
 * The widget cache key holds every property of a placement that can change the widget's output
 * (compositor/cache/widget-key.ts): a property missing from it would serve one placement's widget
 * for another. The properties are read from the ResolvedPlacement interface itself
 * (compositor/layouts/resolver.ts), so a property added there fails here until it is either shown
 * to change the key or documented as not changing the output.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { requestKey, scopedRequestKey, widgetKey } from "../../compositor/cache/widget-key.ts";
import type { ResolvedPlacement } from "../../compositor/layouts/resolver.ts";
import { requestContext } from "../support/request-context.ts";

/** The property names of `interface ResolvedPlacement` as resolver.ts declares it. */
function resolvedPlacementFields(): string[] {
  const source = readFileSync(new URL("../../compositor/layouts/resolver.ts", import.meta.url), "utf8");
  const body = /^export interface ResolvedPlacement \{\n([\s\S]*?)^\}/m.exec(source)?.[1];
  if (body === undefined)
    throw new Error("resolver.ts declares no `export interface ResolvedPlacement {` (renamed, or extends another type?): update this test");
  return [...body.matchAll(/^ {2}(\w+)\??:/gm)].map((match) => match[1]!);
}

const base: ResolvedPlacement = {
  position: 2,
  instanceId: "drama",
  type: "genre-tray",
  templateVersion: "2",
  config: { genre: "drama", limit: 20 },
  essential: false,
  deferred: false,
};

/** A property that changes the output: another value of it, which must give another key. */
const CHANGED = {
  instanceId: "drama-2",
  type: "top-picks",
  templateVersion: "3",
  config: { genre: "drama", limit: 10 },
  cursor: "20",
} satisfies Partial<{ [K in keyof ResolvedPlacement]: ResolvedPlacement[K] }>;

/** A property that does not change the widget's output, and why: changing it must keep the key (the widget is shared). */
const NOT_KEYED = {
  position:
    "where the page puts the widget: the cached widget holds no position (its logging's position is written by page assembly, not the binder), and the pipeline settles the slot at the placement's own position",
  essential: "whether a failure of the widget fails the page: the pipeline takes it from the placement, never from the cached entry",
  deferred:
    "whether the page holds a placeholder for the widget instead of it: the widget, when fetched through its page token, is the same output",
} satisfies Partial<Record<keyof ResolvedPlacement, string>>;

// At type-check time too: a property of ResolvedPlacement in neither table is named in the error.
type Unlisted = Exclude<keyof ResolvedPlacement, keyof typeof CHANGED | keyof typeof NOT_KEYED>;
const everyFieldListed: [Unlisted] extends [never] ? true : Unlisted = true;

const ctx = requestContext();
const part = requestKey({ ctx, layout: { pageId: "home", layoutVersion: "3" }, plan: "basic", dataVersion: "d1", compact: false });
const scopes = ["public", "persona"] as const;

describe("the widget key holds every placement property that can change the widget's output", () => {
  const fields = resolvedPlacementFields();

  it("reads ResolvedPlacement's properties, and lists each in one table only", () => {
    expect(everyFieldListed).toBe(true);
    expect(fields).toEqual(expect.arrayContaining(["instanceId", "type", "templateVersion", "config"]));
    expect(Object.keys(CHANGED).filter((name) => name in NOT_KEYED)).toEqual([]);
    expect([...Object.keys(CHANGED), ...Object.keys(NOT_KEYED)].filter((name) => !fields.includes(name))).toEqual([]);
  });

  for (const field of fields) {
    it(`ResolvedPlacement.${field}`, () => {
      const name = field as keyof ResolvedPlacement;
      const changed = name in CHANGED;
      expect(
        changed || name in NOT_KEYED,
        `ResolvedPlacement.${field} is neither in the widget key (give it another value in CHANGED, and key it in widget-key.ts) nor documented in NOT_KEYED as not changing the output`,
      ).toBe(true);
      const other = changed
        ? { ...base, [name]: (CHANGED as Partial<ResolvedPlacement>)[name] }
        : { ...base, [name]: otherValue(base[name]) };
      expect(other[name]).not.toEqual(base[name]);
      for (const scope of scopes) {
        const [before, after] = [widgetKey(base, scopedRequestKey(scope, ctx, part)), widgetKey(other, scopedRequestKey(scope, ctx, part))];
        if (changed) expect(after, `${scope} widget key misses ResolvedPlacement.${field}`).not.toBe(before);
        else expect(after, `${scope} widget key varies by ResolvedPlacement.${field}, documented as not changing the output`).toBe(before);
      }
    });
  }
});

/** Another value of a property not keyed, of its type. */
function otherValue(value: unknown): unknown {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1;
  if (typeof value === "string") return `${value}-other`;
  throw new Error(`no other value of ${JSON.stringify(value)}: give the property a value in the test's base placement of a simple type`);
}
