/** The content DDS over its overlay: overridden fields, takedowns, genre list edits, older updates ignored. */
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../dds/catalog/films.ts";
import { createMemoryContentChanges } from "../../dds/content/memory-changes.ts";
import { followedOverlay } from "../../dds/content/open-changes.ts";
import { createContentService } from "../../dds/content/service.ts";
import { BatchGetContentRequestSchema, BatchGetGenreListsRequestSchema } from "../../protos/gen/tessera/dds/v1/content_pb.js";

const catalog = loadCatalog();
const audience = { cohort: "", formFactor: "desktop", locale: "en", region: "US" };

async function setUp() {
  const changes = createMemoryContentChanges(catalog);
  const overlay = await followedOverlay(changes);
  const service = createContentService({ imageBaseUrl: "http://img", overlay }, catalog);
  const content = async (id: string) =>
    (await service.batchGetContent(create(BatchGetContentRequestSchema, { ids: [id], audience }))).contents[0];
  const list = async (genre: string) =>
    (await service.batchGetGenreLists(create(BatchGetGenreListsRequestSchema, { genres: [genre], audience, limit: 1000 }))).lists[0]!
      .contentIds;
  return { changes, overlay, content, list };
}

describe("the content DDS's overlay", () => {
  it("overrides a title's fields and artwork, and answers nothing for a taken-down title", async () => {
    const { changes, content, list } = await setUp();
    const film = catalog.films.find((candidate) => candidate.genre === "Drama")!;
    expect((await content(film.id))!.title).toBe(film.title);
    await changes.publish({ kind: "set-title", contentId: film.id, title: "New" });
    await changes.publish({ kind: "set-rating", contentId: film.id, imdbRating: 1.5 });
    await changes.publish({ kind: "set-artwork", contentId: film.id, artwork: "v2" });
    const edited = (await content(film.id))!;
    expect([edited.title, edited.imdbRating, edited.tileImage!.url]).toEqual([
      "New",
      1.5,
      `http://img/${film.id}/tile/640x360.svg?artwork=v2`,
    ]);
    await changes.publish({ kind: "takedown", contentId: film.id });
    expect(await content(film.id)).toBeUndefined();
    expect(await list("Drama")).not.toContain(film.id);
  });

  it("adds a title to a genre list in votes order and removes one", async () => {
    const { changes, list } = await setUp();
    const comedy = await list("Comedy");
    const drama = catalog.films.filter((film) => film.genre === "Drama").sort((a, b) => b.imdbVotes - a.imdbVotes)[0]!;
    await changes.publish({ kind: "genre-add", genre: "Comedy", contentId: drama.id });
    await changes.publish({ kind: "genre-remove", genre: "Comedy", contentId: comedy[0]! });
    const edited = await list("Comedy");
    expect(edited).toContain(drama.id);
    expect(edited).not.toContain(comedy[0]);
    const votes = edited.map((id) => catalog.byId.get(id)!.imdbVotes);
    expect(votes).toEqual([...votes].sort((a, b) => b - a));
  });

  it("ignores an update older than the entity's last", async () => {
    const { overlay } = await setUp();
    overlay.apply({ seq: 5, entity: "content:m1", state: { title: "Newer" } });
    overlay.apply({ seq: 4, entity: "content:m1", state: { title: "Older" } });
    expect(overlay.title("m1")).toEqual({ title: "Newer" });
  });

  it("refuses an unknown genre", async () => {
    const { changes } = await setUp();
    await expect(changes.publish({ kind: "genre-add", genre: "Polka", contentId: "m1" })).rejects.toThrow(/no genre "Polka"/);
  });
});
