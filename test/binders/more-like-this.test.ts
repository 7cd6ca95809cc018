import { describe, expect, it } from "vitest";
import moreLikeThis from "../../binders/more-like-this/binder.ts";
import { checkImageSizes, checkKidsRatings, checkLocales, fixtureDds, testBinder } from "../../widget-registry/testing.ts";

const dds = fixtureDds({
  films: [
    { id: "m1", title: "The Title", genre: "Drama", director: "Ann", releaseYear: 2000, imdbVotes: 500 },
    { id: "m2", title: "Same Director", genre: "Drama", director: "Ann", releaseYear: 1960, imdbVotes: 10 },
    { id: "m3", title: "Near Year", genre: "Drama", director: "Bob", releaseYear: 2001, imdbVotes: 20 },
    { id: "m4", title: "Far Year", genre: "Drama", director: "Cy", releaseYear: 1970, imdbVotes: 900 },
    { id: "m5", title: "Near Year Too", genre: "Drama", director: "Di", releaseYear: 1999, imdbVotes: 30 },
    { id: "m6", title: "Another Genre", genre: "Comedy", director: "Ann", releaseYear: 2000, imdbVotes: 1000 },
  ],
});

describe("more-like-this", () => {
  it("shows the director's titles of the genre first, then the genre's nearest in time, never the title itself", async () => {
    const run = await testBinder(moreLikeThis, { dds, params: { contentId: "m1" } });
    expect(run.outcome).toBe("ok");
    expect(run.body?.items.map((item) => item.title)).toEqual(["Same Director", "Near Year Too", "Near Year", "Far Year"]);
    expect(run.body?.items.every((item) => item.action?.kind.case === "openPage")).toBe(true);
  });

  it("has nothing to show for an unknown title", async () => {
    expect((await testBinder(moreLikeThis, { dds, params: { contentId: "m9" } })).outcome).toBe("empty");
  });

  it("passes the widget checks on the demo catalog", async () => {
    const options = { ctx: { params: { contentId: "m59" } } };
    const kids = await checkKidsRatings(moreLikeThis, options);
    expect(kids.problems).toEqual([]);
    expect(kids.items).toBeGreaterThan(0);
    const images = await checkImageSizes(moreLikeThis, options);
    expect(images.problems).toEqual([]);
    expect(images.items).toBeGreaterThan(0);
    expect((await checkLocales(moreLikeThis, options)).problems).toEqual([]);
  });
});
