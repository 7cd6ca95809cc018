/** The dashboard's pure parts: the draft-against-live diff, the merge after a conflict, and the problem paths the server sends. */
import { describe, expect, it } from "vitest";
import { diffLayouts } from "../../dashboard/src/diff.ts";
import { addPlacement, movePlacement, removePlacement, updatePlacement } from "../../dashboard/src/layout-edit.ts";
import { mergeLayouts } from "../../dashboard/src/merge.ts";
import { parsePath, problemsUnder } from "../../dashboard/src/problems.ts";
import type { PageLayout, Placement } from "../../dashboard/src/types.ts";

const placement = (instanceId: string, config: Record<string, unknown> = {}): Placement => ({
  instanceId,
  type: "genre-tray",
  templateVersion: "newest",
  config,
  essential: false,
  deferred: false,
});

const live: PageLayout = {
  pageId: "home",
  variants: [
    { id: "kids", match: { cohorts: ["kids"] }, placements: ["a", "b", "c", "d"].map((id) => placement(id, { limit: 20 })) },
    { id: "default", match: {}, placements: [placement("a")] },
  ],
};

describe("diffLayouts", () => {
  it("reports one move for one widget moved, not a shift of every other", () => {
    const changes = diffLayouts(live, movePlacement(live, "kids", 3, 0));
    expect(changes).toEqual([{ kind: "moved", variantId: "kids", instanceId: "d", from: 4, to: 1 }]);
  });

  it("reports added, removed and changed config and match fields", () => {
    const draft = structuredClone(live);
    draft.variants[0]!.placements[1]!.config.limit = 10;
    draft.variants[0]!.placements.splice(2, 1);
    draft.variants[0]!.match.regions = ["FR"];
    const added = addPlacement(draft, "default", {
      type: "hero",
      description: "",
      cacheScope: "public",
      templates: [],
      configSchema: { properties: { slides: { type: "integer", default: 5 } } },
    });
    const changes = diffLayouts(live, added.layout);
    expect(changes).toContainEqual({
      kind: "changed",
      variantId: "kids",
      instanceId: "b",
      field: "config.limit",
      before: "20",
      after: "10",
    });
    expect(changes).toContainEqual({ kind: "removed", variantId: "kids", instanceId: "c", before: "genre-tray", from: 3 });
    expect(changes).toContainEqual({ kind: "changed", variantId: "kids", field: "match.regions", before: "—", after: '["FR"]' });
    expect(changes).toContainEqual({ kind: "added", variantId: "default", instanceId: "hero", after: "hero", to: 2 });
    expect(added.layout.variants[1]!.placements[1]!.config).toEqual({ slides: 5 });
  });

  it("finds nothing between equal layouts", () => {
    expect(diffLayouts(live, structuredClone(live))).toEqual([]);
  });
});

describe("problem paths", () => {
  it("reads the server's bracket paths, JSON pointers and dotted paths alike", () => {
    const expected = ["variants", 0, "placements", 2, "config", "limit"];
    expect(parsePath("variants[0].placements[2].config.limit")).toEqual(expected);
    expect(parsePath("/variants/0/placements/2/config/limit")).toEqual(expected);
    expect(parsePath("variants.0.placements.2.config.limit")).toEqual(expected);
    expect(parsePath("")).toEqual([]);
  });

  it("keeps the problems under a placement, relative to it", () => {
    const problems = [
      { path: parsePath("variants[0].placements[2].config.limit"), message: "too big" },
      { path: parsePath("variants[0].placements[1].config.limit"), message: "other" },
    ];
    expect(problemsUnder(problems, ["variants", 0, "placements", 2])).toEqual([{ path: ["config", "limit"], message: "too big" }]);
  });
});

describe("mergeLayouts", () => {
  const ids = (layout: PageLayout, variant = "kids") => layout.variants.find((v) => v.id === variant)!.placements.map((p) => p.instanceId);
  const config = (layout: PageLayout, instanceId: string) =>
    layout.variants[0]!.placements.find((p) => p.instanceId === instanceId)!.config;

  it("keeps both sides' changes: my move and removal, their config change and new widget", () => {
    const mine = removePlacement(movePlacement(live, "kids", 3, 0), "kids", 2); // d a c   (b removed)
    let theirs = updatePlacement(live, "kids", 2, { config: { limit: 7 } }); // c limit 7
    theirs = {
      ...theirs,
      variants: theirs.variants.map((v) => (v.id === "kids" ? { ...v, placements: [...v.placements, placement("e")] } : v)),
    };
    const merged = mergeLayouts(live, mine, theirs);
    expect(ids(merged)).toEqual(["d", "a", "c", "e"]);
    expect(config(merged, "c")).toEqual({ limit: 7 });
  });

  it("lets mine win where both changed the same setting, and merges other keys of it", () => {
    const mine = updatePlacement(live, "kids", 0, { config: { limit: 5 } });
    const theirs = updatePlacement(live, "kids", 0, { config: { limit: 9, genre: "Drama" } });
    expect(config(mergeLayouts(live, mine, theirs), "a")).toEqual({ limit: 5, genre: "Drama" });
  });

  it("keeps a widget one side removed when the other changed it", () => {
    const mine = updatePlacement(live, "kids", 1, { config: { limit: 3 } });
    const theirs = removePlacement(live, "kids", 1);
    expect(ids(mergeLayouts(live, mine, theirs))).toContain("b");
  });

  it("puts widgets they inserted before the same neighbour in my order", () => {
    const mine = movePlacement(live, "kids", 0, 3); // b c d a
    const theirs = {
      ...live,
      variants: live.variants.map((v) =>
        v.id === "kids" ? { ...v, placements: [v.placements[0]!, placement("x"), placement("y"), ...v.placements.slice(1)] } : v,
      ),
    };
    expect(ids(mergeLayouts(live, mine, theirs))).toEqual(["x", "y", "b", "c", "d", "a"]);
  });

  it("takes their reorder when I did not reorder", () => {
    const mine = updatePlacement(live, "kids", 0, { essential: true });
    const theirs = movePlacement(live, "kids", 0, 3);
    const merged = mergeLayouts(live, mine, theirs);
    expect(ids(merged)).toEqual(["b", "c", "d", "a"]);
    expect(merged.variants[0]!.placements[3]!.essential).toBe(true);
  });
});
