import { describe, expect, it } from "vitest";
import titleDetails from "../../binders/title-details/binder.ts";
import { checkImageSizes, checkKidsRatings, checkLocales, fixtureDds, testBinder } from "../../widget-registry/testing.ts";

const dds = fixtureDds({
  films: [
    { id: "m1", title: "Long One", ageRating: "PG-13", genre: "Romantic Comedy", releaseYear: 2009, runningTimeMin: 112, imdbRating: 7.84 },
    {
      id: "m2",
      title: "Short One",
      ageRating: "",
      genre: "",
      releaseYear: 1950,
      runningTimeMin: 45,
      director: "A. Director",
      imdbRating: 0,
    },
    { id: "m3", title: "Kids One", ageRating: "G", genre: "Musical" },
  ],
  users: { u1: { favorites: ["m2"] } },
});

describe("title-details", () => {
  it("gives the title's facts, its genre and summary line in the request's language", async () => {
    const en = await testBinder(titleDetails, { dds, params: { contentId: "m1" } });
    expect(en.body).toMatchObject({
      releaseYear: 2009,
      genre: "Romantic comedies",
      runningTimeMinutes: 112,
      imdbRating: "7.8",
      summary: "2009 · PG-13 · 1 h 52 min",
      favorite: false,
    });
    expect(en.body?.item?.action?.kind.case).toBe("play");
    expect(en.body?.item?.secondaryActions.map((action) => action.kind.case)).toEqual(["toggleFavorite"]);
    const fr = await testBinder(titleDetails, { dds, params: { contentId: "m1" }, ctx: { locale: "fr" } });
    expect(fr.body).toMatchObject({ genre: "Comédies romantiques", summary: "2009 · PG-13 · 1 h 52" });
  });

  it("leaves out what the catalog does not know, and tells whether the title is the user's favorite", async () => {
    const run = await testBinder(titleDetails, { dds, params: { contentId: "m2" } });
    expect(run.body).toMatchObject({ genre: "", imdbRating: "", summary: "1950 · 45 min", director: "A. Director", favorite: true });
    expect((await testBinder(titleDetails, { dds, params: { contentId: "m2" }, ctx: { userId: "" } })).body?.favorite).toBe(false);
  });

  it("is not found for an unknown title", async () => {
    expect((await testBinder(titleDetails, { dds, params: { contentId: "m9" } })).outcome).toBe("not-found");
  });

  it("passes the widget checks", async () => {
    const kids = await checkKidsRatings(titleDetails, { ctx: { params: { contentId: "m3" } }, dds });
    expect(kids.problems).toEqual([]);
    expect(kids.items).toBe(3);
    const images = await checkImageSizes(titleDetails, { ctx: { params: { contentId: "m20" } } });
    expect(images.problems).toEqual([]);
    expect(images.items).toBeGreaterThan(0);
    expect((await checkLocales(titleDetails, { ctx: { params: { contentId: "m1" } }, dds })).problems).toEqual([]);
  });
});
