import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../dds/catalog/films.ts";
import { createContentService } from "../../dds/content/service.ts";
import { createEntitlementService } from "../../dds/entitlement/service.ts";
import { createRecoService } from "../../dds/reco/service.ts";
import { create } from "@bufbuild/protobuf";
import { BatchGetContentRequestSchema, BatchGetGenreListsRequestSchema } from "../../protos/gen/tessera/dds/v1/content_pb.js";
import { BatchGetEntitlementsRequestSchema } from "../../protos/gen/tessera/dds/v1/entitlement_pb.js";
import { BatchGetTopPicksRequestSchema } from "../../protos/gen/tessera/dds/v1/reco_pb.js";

const catalog = loadCatalog();
const content = createContentService({ imageBaseUrl: "http://img" });
const idOf = (title: string) => catalog.films.find((f) => f.title === title)!.id;

describe("catalog", () => {
  it("holds the films of vega-datasets with a title, with ids by their index in movies.json", () => {
    expect(catalog.films).toHaveLength(3200);
    expect(catalog.byId.get("m0")!.title).toBe("The Land Girls");
    expect(catalog.films.every((film) => film.title !== "")).toBe(true);
  });
});

describe("content DDS", () => {
  it("returns entities in batch, leaving out unknown ids", async () => {
    const response = await content.batchGetContent(create(BatchGetContentRequestSchema, { ids: ["m0", "m1", "nope", "m0"] }));
    expect(response.contents.map((c) => c.id)).toEqual(["m0", "m1"]);
    expect(response.contents[0]).toMatchObject({ title: "The Land Girls", ageRating: "R", releaseYear: 1998 });
  });

  it("keeps only G and PG films for the kids cohort", async () => {
    const ids = catalog.films.slice(0, 400).map((f) => f.id);
    const kids = await content.batchGetContent(create(BatchGetContentRequestSchema, { ids, audience: { cohort: "kids" } }));
    const everyone = await content.batchGetContent(create(BatchGetContentRequestSchema, { ids }));
    expect(kids.contents.length).toBeGreaterThan(0);
    expect(kids.contents.length).toBeLessThan(everyone.contents.length);
    expect(new Set(kids.contents.map((c) => c.ageRating))).toEqual(new Set(["G", "PG"]));
  });

  it("sizes artwork for the form factor", async () => {
    const phone = await content.batchGetContent(create(BatchGetContentRequestSchema, { ids: ["m1"], audience: { formFactor: "phone" } }));
    const tv = await content.batchGetContent(create(BatchGetContentRequestSchema, { ids: ["m1"], audience: { formFactor: "tv" } }));
    expect(phone.contents[0]!.tileImage).toMatchObject({ url: "http://img/m1/tile/320x180.svg", width: 320, height: 180 });
    expect(tv.contents[0]!.tileImage).toMatchObject({ width: 960, height: 540 });
    expect(tv.contents[0]!.heroImage).toMatchObject({ width: 1920, height: 1080 });
  });

  it("localizes a title where an override exists", async () => {
    const id = idOf("The Lion King");
    const fr = await content.batchGetContent(create(BatchGetContentRequestSchema, { ids: [id, "m0"], audience: { locale: "fr" } }));
    expect(fr.contents.map((c) => c.title)).toEqual(["Le Roi lion", "The Land Girls"]);
  });

  it("lists a genre by IMDB votes, filtered for kids", async () => {
    const request = (cohort: string) =>
      create(BatchGetGenreListsRequestSchema, { genres: ["Adventure", "Drama"], limit: 20, audience: { cohort } });
    const { lists } = await content.batchGetGenreLists(request(""));
    expect(lists.map((l) => l.genre)).toEqual(["Adventure", "Drama"]);
    const votes = lists[0]!.contentIds.map((id) => catalog.byId.get(id)!.imdbVotes);
    expect(votes).toEqual([...votes].sort((a, b) => b - a));
    expect(lists[0]!.contentIds).toHaveLength(20);
    const kids = await content.batchGetGenreLists(request("kids"));
    expect(kids.lists[0]!.contentIds.every((id) => ["G", "PG"].includes(catalog.byId.get(id)!.ageRating))).toBe(true);
  });
});

describe("reco DDS", () => {
  it("gives each persona 50 stable top picks, weighted toward high ratings", async () => {
    const reco = createRecoService();
    const { topPicks } = await reco.batchGetTopPicks(create(BatchGetTopPicksRequestSchema, { personaIds: ["p0", "p1"] }));
    expect(topPicks.map((p) => p.contentIds.length)).toEqual([50, 50]);
    expect(topPicks[0]!.contentIds).not.toEqual(topPicks[1]!.contentIds);
    const again = await createRecoService().batchGetTopPicks(create(BatchGetTopPicksRequestSchema, { personaIds: ["p0"] }));
    expect(again.topPicks[0]!.contentIds).toEqual(topPicks[0]!.contentIds);
    const mean = (ids: string[]) => ids.reduce((sum, id) => sum + catalog.byId.get(id)!.imdbRating, 0) / ids.length;
    expect(mean(topPicks[0]!.contentIds)).toBeGreaterThan(mean(catalog.films.map((f) => f.id)) + 0.5);
  });
});

describe("entitlement DDS", () => {
  it("badges titles after 2005 as premium for users without a subscription", async () => {
    const entitlement = createEntitlementService();
    const recent = catalog.films.find((f) => f.releaseYear > 2005)!.id;
    const old = catalog.films.find((f) => f.releaseYear > 0 && f.releaseYear <= 2005)!.id;
    const ask = (userId: string) =>
      entitlement.batchGetEntitlements(create(BatchGetEntitlementsRequestSchema, { userId, contentIds: [recent, old] }));
    expect((await ask("u1")).entitlements.map((e) => [e.entitled, e.badge])).toEqual([
      [false, "premium"],
      [true, ""],
    ]);
    expect((await ask("u3")).entitlements.map((e) => [e.entitled, e.badge])).toEqual([
      [true, ""],
      [true, ""],
    ]);
    expect((await ask("")).entitlements[0]!.badge).toBe("premium");
  });
});
