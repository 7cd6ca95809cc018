import { describe, expect, it } from "vitest";
import sameGenre from "../../binders/same-genre/binder.ts";
import { checkImageSizes, checkKidsRatings, checkLocales, fixtureDds, testBinder } from "../../widget-registry/testing.ts";

const dds = fixtureDds({
  films: [
    { id: "m1", title: "The Title", genre: "Western", imdbVotes: 500 },
    { id: "m2", title: "Fewer Votes", genre: "Western", imdbVotes: 10 },
    { id: "m3", title: "More Votes", genre: "Western", imdbVotes: 900 },
    { id: "m4", title: "A Comedy", genre: "Comedy", imdbVotes: 1000 },
  ],
});

describe("same-genre", () => {
  it("shows the title's genre by votes without the title; see all opens the genre page", async () => {
    const run = await testBinder(sameGenre, { dds, params: { contentId: "m1" }, ctx: { locale: "fr" } });
    expect(run.outcome).toBe("ok");
    expect(run.body?.title).toBe("Encore : Westerns");
    expect(run.body?.items.map((item) => item.title)).toEqual(["More Votes", "Fewer Votes"]);
    expect(run.body?.seeAll?.kind).toMatchObject({
      case: "openPage",
      value: { pageId: "genre", parameters: [{ name: "genre", value: "Western" }] },
    });
    expect(run.body?.seeAllLink).toBe("tessera://genre/Western");
  });

  it("has nothing to show for an unknown title", async () => {
    expect((await testBinder(sameGenre, { dds, params: { contentId: "m9" } })).outcome).toBe("empty");
  });

  it("passes the widget checks on the demo catalog", async () => {
    const options = { ctx: { params: { contentId: "m59" } } };
    const kids = await checkKidsRatings(sameGenre, options);
    expect(kids.problems).toEqual([]);
    expect(kids.items).toBeGreaterThan(0);
    const images = await checkImageSizes(sameGenre, options);
    expect(images.problems).toEqual([]);
    expect(images.items).toBeGreaterThan(0);
    expect((await checkLocales(sameGenre, options)).problems).toEqual([]);
  });
});
