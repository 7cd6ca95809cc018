import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { binders } from "../../binders/index.ts";
import { SEED_DIR } from "../../layout-service/seed.ts";
import { jsonPath, validateLayout } from "../../layout-service/validate.ts";
import { createWidgetRegistry } from "../../widget-registry/registry.ts";

const registry = createWidgetRegistry(binders);
const tray = (instanceId: string, extra: Record<string, unknown> = {}) => ({
  instanceId,
  type: "genre-tray",
  config: { genre: "Drama" },
  ...extra,
});
const paths = (layout: unknown, pageId?: string) => validateLayout(layout, registry, pageId).problems.map((p) => p.path);

describe("layout validation", () => {
  it("accepts the seed layouts", () => {
    const home = JSON.parse(readFileSync(join(SEED_DIR, "home.json"), "utf8"));
    const validation = validateLayout(home, registry, "home");
    expect(validation.problems).toEqual([]);
    expect(validation.layout?.variants.length).toBeGreaterThan(1);
  });

  it("accepts the title and genre pages' seed layouts, with their parameters", () => {
    for (const pageId of ["title", "genre"]) {
      const seed = JSON.parse(readFileSync(join(SEED_DIR, `${pageId}.json`), "utf8"));
      const validation = validateLayout(seed, registry, pageId);
      expect(validation.problems).toEqual([]);
      expect(validation.layout?.parameters).toHaveLength(1);
    }
  });

  it("refuses parameters named as the request's own, named twice, of an unknown kind or with an example not of their kind", () => {
    const layout = {
      pageId: "title",
      parameters: [
        { name: "platform", kind: "text" },
        { name: "contentId", kind: "content-id", example: "twelve" },
        { name: "contentId", kind: "text" },
        { name: "mood", kind: "regex" },
        { name: "Bad-Name", kind: "text" },
      ],
      variants: [{ id: "default", placements: [tray("a")] }],
    };
    const problems = validateLayout(layout, registry, "title").problems;
    expect(problems.map((p) => p.path).sort()).toEqual([
      "parameters[0].name",
      "parameters[1].example",
      "parameters[2].name",
      "parameters[3].kind",
      "parameters[4].name",
    ]);
    expect(problems.find((p) => p.path === "parameters[1].example")?.message).toBe("must be a content id such as m12");
    expect(problems.find((p) => p.path === "parameters[2].name")?.message).toBe('"contentId" is already the name of parameters[1]');
  });

  it("writes JSON paths with indexes in brackets", () => {
    expect(jsonPath(["variants", 0, "placements", 2, "config", "limit"])).toBe("variants[0].placements[2].config.limit");
  });

  it("lists every problem of a layout at once, each at its path", () => {
    const layout = {
      pageId: "home",
      variants: [
        {
          id: "web",
          match: { platforms: ["web", "fridge"], clientVersion: ">=5 <4" },
          placements: [
            tray("a"),
            { instanceId: "b", type: "carousel" },
            tray("c", { config: { genre: "Drama", limit: 500 } }),
            tray("d", { config: { genre: "Polka" } }),
            { instanceId: "e", type: "hero", templateVersion: "9" },
            tray("a"),
          ],
        },
        { id: "old", match: { clientVersion: "five-ish" }, placements: [] },
        { id: "never", match: { schedule: { from: "2026-12-01T00:00:00Z", until: "2026-11-01T00:00:00Z" } }, placements: [] },
        {
          id: "tv",
          match: { platforms: ["tv"] },
          placements: [tray("x", { schedule: { from: "2026-12-02T00:00:00Z", until: "2026-12-02T00:00:00Z" } })],
        },
        { id: "tv-again", match: { platforms: ["tv"] }, placements: [] },
        { id: "web", placements: [] },
      ],
    };
    expect(paths(layout, "home").sort()).toEqual(
      [
        "variants[0].match.platforms[1]",
        "variants[0].match.clientVersion",
        "variants[0].placements[1].type",
        "variants[0].placements[2].config.limit",
        "variants[0].placements[3].config.genre",
        "variants[0].placements[4].templateVersion",
        "variants[0].placements[5].instanceId",
        "variants[1].match.clientVersion",
        "variants[2].match.schedule",
        "variants[3].placements[0].schedule",
        "variants[4].match",
        "variants[5].id",
      ].sort(),
    );
  });

  it("says what is wrong in words an operator can act on", () => {
    const { problems } = validateLayout(
      { pageId: "home", variants: [{ id: "v", match: { clientVersion: ">=5 <4" }, placements: [{ instanceId: "b", type: "carousel" }] }] },
      registry,
    );
    expect(problems.find((p) => p.path === "variants[0].placements[0].type")!.message).toMatch(
      /unknown widget type "carousel"; known: hero/,
    );
    expect(problems.find((p) => p.path === "variants[0].match.clientVersion")!.message).toMatch(/no client version satisfies/);
  });

  it("refuses a retired template version pinned by a placement", () => {
    const retiredRegistry = createWidgetRegistry(
      binders.map((binder) =>
        binder.type === "hero"
          ? { ...binder, templates: binder.templates.map((t) => (t.version === "1" ? { ...t, status: "retired" as const } : t)) }
          : binder,
      ),
    );
    const { problems } = validateLayout(
      { pageId: "home", variants: [{ id: "v", placements: [{ instanceId: "h", type: "hero", templateVersion: "1" }] }] },
      retiredRegistry,
    );
    expect(problems).toEqual([{ path: "variants[0].placements[0].templateVersion", message: expect.stringMatching(/retired/) }]);
  });

  it("reports a malformed document at its paths, and a page id that is not the page's", () => {
    expect(paths({ pageId: "other", variants: [{ id: "Bad Id", placements: [{ type: "hero" }] }] }, "home").sort()).toEqual(
      ["pageId", "variants[0].id", "variants[0].placements[0].instanceId"].sort(),
    );
    expect(paths({ pageId: "home", variants: [] })).toEqual(["variants"]);
  });
});
