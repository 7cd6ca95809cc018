/** The binder test kit itself: testBinder and what its checks catch. Each shipped binder is tested with the kit in test/binders/. */
import { describe, expect, it } from "vitest";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import continueWatching from "../../binders/continue-watching/binder.ts";
import favorites from "../../binders/favorites/binder.ts";
import genreTray from "../../binders/genre-tray/binder.ts";
import hero from "../../binders/hero/binder.ts";
import topPicks from "../../binders/top-picks/binder.ts";
import { create, defineBinder, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import {
  checkAccessibility,
  checkImageSizes,
  checkKidsRatings,
  checkLocales,
  fixtureDds,
  itemsOf,
  testBinder,
  testFlags,
} from "../../widget-registry/testing.ts";

/** A tray binder for negative checks: shows what `tiles` returns, or the copies `edit` makes of them. */
function trayBinder(options: { edit?: (tiles: Tile[]) => Tile[]; messages?: Record<string, Record<string, string>>; keys?: string[] }) {
  return defineBinder({
    type: "kit-probe",
    body: "tray",
    templates: [{ version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" }],
    configSchema: z.object({}),
    cacheScope: "persona",
    messages: options.messages,
    async fetch(_ctx, _config, dds) {
      return dds.tiles((await dds.topPicks()).slice(0, 5));
    },
    bind(tiles, ctx) {
      const shown = options.edit?.(tiles) ?? tiles;
      const title = (options.keys ?? []).map((key) => ctx.t(key)).join(" ");
      return create(TraySchema, { title, items: shown.map((tile) => toItem(tile, ctx)) });
    },
  });
}

describe("testBinder", () => {
  it("returns the widget, the DDS calls the binder made, and its timing", async () => {
    const run = await testBinder(topPicks, { ctx: { persona: "p2" }, config: { limit: 7 } });
    expect(run.outcome).toBe("ok");
    expect(run.widget?.type).toBe("top-picks");
    expect(run.body?.items).toHaveLength(7);
    expect(run.ddsCalls.map((call) => `${call.dds}.${call.method}`)).toEqual([
      "reco.batchGetTopPicks",
      "content.batchGetContent",
      "entitlement.batchGetEntitlements",
    ]);
    expect(run.facadeCalls).toBe(2);
    expect(run.messageKeys).toEqual(["title"]);
    expect(run.timing.durationMs).toBeGreaterThan(0);
    expect(run.timing.bindMs).toBeLessThanOrEqual(run.timing.durationMs);
  });

  it("runs in the request context of the test's choice", async () => {
    const en = await testBinder(topPicks, { ctx: { locale: "en" } });
    const fr = await testBinder(topPicks, { ctx: { locale: "fr" } });
    expect(en.body?.title).toBe("Top picks for you");
    expect(fr.body?.title).toBe("Nos meilleurs choix pour vous");
  });

  it("chooses the newest template the client renders, or the pinned one", async () => {
    expect((await testBinder(hero, { ctx: { clientVersion: "5.0.0" } })).templateVersion).toBe("2");
    expect((await testBinder(hero, { ctx: { clientVersion: "1.0.0" } })).templateVersion).toBe("1");
    await expect(testBinder(hero, { ctx: { clientVersion: "0.9.0" } })).rejects.toThrow(/renders no template of "hero"/);
  });

  it("refuses a config the binder's schema rejects, naming the binder", async () => {
    await expect(testBinder(genreTray, { config: { genre: "Opera" } })).rejects.toThrow(/config of genre-tray is invalid/);
  });

  it("runs against fixture data through the real DDS rules", async () => {
    const dds = fixtureDds({
      films: [
        { id: "f1", title: "Fixture One", ageRating: "PG" },
        { id: "f2", title: "Fixture Two", ageRating: "R" },
        { id: "f3", title: "Fixture Three", ageRating: "G", releaseYear: 2010 },
      ],
      topPicks: { p1: ["f3", "f2", "f1"] },
    });
    const adult = await testBinder(topPicks, { dds });
    expect(adult.body?.items.map((item) => item.title)).toEqual(["Fixture Three", "Fixture Two", "Fixture One"]);
    expect(adult.body?.items[0]?.badge).toBe("premium");
    const kids = await testBinder(topPicks, { dds, ctx: { cohort: "kids" } });
    expect(kids.body?.items.map((item) => item.contentId)).toEqual(["f3", "f1"]);
  });

  it("gives fixture users their history and favorites", async () => {
    const dds = fixtureDds({
      films: [
        { id: "f1", title: "Half Seen" },
        { id: "f2", title: "Loved" },
      ],
      users: { u7: { history: [{ contentId: "f1", progressPercent: 40 }], favorites: ["f2"] } },
    });
    const watching = await testBinder(continueWatching, { dds, ctx: { userId: "u7" } });
    expect(watching.body?.items.map((item) => [item.title, item.progressPercent])).toEqual([["Half Seen", 40]]);
    const stranger = await testBinder(favorites, { dds, ctx: { userId: "u8" } });
    expect(stranger.outcome).toBe("empty");
  });

  it("passes the flags of the test's choice", async () => {
    const flagged = defineBinder({
      ...trayBinder({}),
      bind: (tiles: Tile[], ctx) =>
        create(TraySchema, { title: ctx.flags.variation("tray-title", "plain"), items: tiles.map((t) => toItem(t, ctx)) }),
    });
    const run = await testBinder(flagged, { ctx: { flags: testFlags({ "tray-title": "fancy" }) } });
    expect(run.body?.title).toBe("fancy");
  });
});

/** A copy of the tile with some of its content's fields changed: a probe never changes the DDS's own entities. */
const withContent = (tile: Tile, content: Partial<Tile["content"]>): Tile => ({ ...tile, content: { ...tile.content, ...content } });

describe("the checks catch", () => {
  it("an R-rated title shown to kids", async () => {
    const leaky = trayBinder({ edit: (tiles) => tiles.map((tile) => withContent(tile, { ageRating: "R" })) });
    const report = await checkKidsRatings(leaky);
    expect(report.problems.length).toBe(report.items);
    expect(report.problems[0]).toMatch(/^kids (u\d|anonymous)\/p\d: m\d+ ".+" is rated "R"$/);
  });

  it("an image of another form factor's size", async () => {
    const fixed = trayBinder({
      edit: (tiles) =>
        tiles.map((tile) =>
          withContent(tile, { tileImage: tile.content.tileImage && { ...tile.content.tileImage, width: 640, height: 360 } }),
        ),
    });
    const report = await checkImageSizes(fixed);
    const phone = report.problems.filter((problem) => problem.startsWith("phone:"));
    expect(phone.length).toBeGreaterThan(0);
    expect(phone[0]).toMatch(/is 640x360, expected one of 320x180, 720x405$/);
    expect(report.problems.some((problem) => problem.startsWith("desktop:"))).toBe(false);
  });

  it("an item without an image", async () => {
    const bare = trayBinder({ edit: (tiles) => tiles.map((tile) => withContent(tile, { tileImage: undefined })) });
    expect((await checkImageSizes(bare)).problems).toContain(`tv: ${itemsOf((await testBinder(bare)).body)[0]!.contentId} has no image`);
  });

  it("a string missing in a locale, a key used but never written, and mismatched placeholders", async () => {
    const sloppy = trayBinder({
      messages: { en: { title: "Hello {name}", more: "More" }, fr: { title: "Bonjour" } },
      keys: ["title", "subtitle"],
    });
    const report = await checkLocales(sloppy);
    expect(report.problems).toEqual([
      'en: no message "subtitle"',
      'fr: no message "more"',
      'fr: no message "subtitle"',
      'fr: "title" has placeholders {}, en has {name}',
    ]);
  });

  describe("checkAccessibility", () => {
    it("passes a tray whose title is its heading and whose items come from toItem", async () => {
      const report = await checkAccessibility(
        trayBinder({ keys: ["title"], messages: { en: { title: "Picks" }, fr: { title: "Choix" } } }),
      );
      expect(report.problems).toEqual([]);
      expect(report.runs).toBe(2);
      expect(report.items).toBe(10);
    });

    it("reports a widget without a heading and items whose labels are missing or do not name their title, per locale", async () => {
      const sloppy = trayBinder({
        edit: (tiles) => tiles.map((tile, i) => (i === 0 ? withContent(tile, { title: "" }) : tile)),
      });
      const mute = {
        ...sloppy,
        bind: (data: Tile[], ctx: Parameters<typeof sloppy.bind>[1], config: Parameters<typeof sloppy.bind>[2]) => {
          const tray = sloppy.bind(data, ctx, config)!;
          tray.items[1]!.accessibilityLabel = "";
          tray.items[2]!.accessibilityLabel = "A film";
          return tray;
        },
      };
      const report = await checkAccessibility(mute, { locales: ["en"] });
      expect(report.problems).toHaveLength(3);
      expect(report.problems[0]).toBe('en: the widget has no heading (a "heading" message, or a title in its body)');
      expect(report.problems[1]).toMatch(/^en: m\d+ has no accessibility label$/);
      expect(report.problems[2]).toMatch(/^en: the label of m\d+ "A film" does not name its title ".+"$/);
    });
  });
});

describe("testBinder's guard rails", () => {
  it("fails a binder whose bind changes its data, naming it", async () => {
    const sorting = defineBinder({
      type: "kit-sorter",
      body: "tray",
      templates: [{ version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" }],
      configSchema: z.object({}),
      cacheScope: "user",
      async fetch(_ctx, _config, dds) {
        return dds.tiles(await dds.favorites());
      },
      bind(tiles, ctx) {
        tiles.sort((a, b) => a.content.title.localeCompare(b.content.title));
        return create(TraySchema, { title: "", items: tiles.map((tile) => toItem(tile, ctx)) });
      },
    });
    const run = await testBinder(sorting);
    expect(run.outcome).toBe("error");
    expect(run.message).toBe("kit-sorter: bind changed its data; it must leave it as fetch returned it");
  });
});
