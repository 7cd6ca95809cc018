/** The dashboard's pure parts: the draft-against-live diff and the problem paths the server sends. */
import { describe, expect, it } from "vitest";
import { diffLayouts } from "../../layout-service/dashboard/src/diff.ts";
import { addPlacement, movePlacement } from "../../layout-service/dashboard/src/layout-edit.ts";
import { parsePath, problemsUnder } from "../../layout-service/dashboard/src/problems.ts";
import type { PageLayout, Placement } from "../../layout-service/dashboard/src/types.ts";

const placement = (instanceId: string, config: Record<string, unknown> = {}): Placement => ({
  instanceId,
  type: "genre-tray",
  templateVersion: "newest",
  config,
  essential: false,
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
    const added = addPlacement(draft, "default", { type: "hero", description: "", cacheScope: "public", templates: [], configSchema: { properties: { slides: { type: "integer", default: 5 } } } });
    const changes = diffLayouts(live, added.layout);
    expect(changes).toContainEqual({ kind: "changed", variantId: "kids", instanceId: "b", field: "config.limit", before: "20", after: "10" });
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
