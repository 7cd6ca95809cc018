import { describe, expect, it } from "vitest";
import genreGrid from "../../binders/genre-grid/binder.ts";
import { checkImageSizes, checkKidsRatings, checkLocales, fixtureDds, testBinder } from "../../widget-registry/testing.ts";

const dds = fixtureDds({
  films: [
    { id: "m1", title: "Few Votes", genre: "Horror", imdbVotes: 10, ageRating: "R" },
    { id: "m2", title: "Most Votes", genre: "Horror", imdbVotes: 300, ageRating: "R" },
    { id: "m3", title: "Some Votes", genre: "Horror", imdbVotes: 50, ageRating: "R" },
    { id: "m4", title: "A Drama", genre: "Drama", imdbVotes: 1000 },
  ],
});

describe("genre-grid", () => {
  it("shows the genre's first titles by votes in columns, titled by the genre in the request's language", async () => {
    const run = await testBinder(genreGrid, { dds, params: { genre: "Horror" }, config: { limit: 2 }, ctx: { locale: "fr" } });
    expect(run.outcome).toBe("ok");
    expect(run.body).toMatchObject({ title: "Horreur", columns: 4 });
    expect(run.body?.items.map((item) => item.title)).toEqual(["Most Votes", "Some Votes"]);
  });

  it("is not found for a genre the catalog does not have, nor one without a title for the audience", async () => {
    const unknown = await testBinder(genreGrid, { dds, params: { genre: "Nope" } });
    expect(unknown.outcome).toBe("not-found");
    expect(unknown.message).toMatch(/^genre "Nope" does not exist; genres: Drama, Comedy/);
    expect((await testBinder(genreGrid, { dds, params: { genre: "Horror" }, ctx: { cohort: "kids" } })).outcome).toBe("not-found");
  });

  it("passes the widget checks on the demo catalog", async () => {
    const options = { ctx: { params: { genre: "Adventure" } } };
    const kids = await checkKidsRatings(genreGrid, options);
    expect(kids.problems).toEqual([]);
    expect(kids.items).toBeGreaterThan(0);
    const images = await checkImageSizes(genreGrid, options);
    expect(images.problems).toEqual([]);
    expect(images.items).toBeGreaterThan(0);
    expect((await checkLocales(genreGrid, options)).problems).toEqual([]);
  });
});
