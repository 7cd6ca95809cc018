import { describe, expect, it } from "vitest";
import titleHero from "../../binders/title-hero/binder.ts";
import { checkImageSizes, checkKidsRatings, checkLocales, fixtureDds, testBinder } from "../../widget-registry/testing.ts";

const dds = fixtureDds({
  films: [
    { id: "m1", title: "For Everyone", ageRating: "PG", genre: "Comedy" },
    { id: "m2", title: "Adults Only", ageRating: "R", genre: "Drama" },
  ],
});

describe("title-hero", () => {
  it("shows one slide of the page's title: tapped to play it, favorite among its actions", async () => {
    const run = await testBinder(titleHero, { dds, params: { contentId: "m1" } });
    expect(run.outcome).toBe("ok");
    const [slide, ...others] = run.body!.slides;
    expect(others).toEqual([]);
    expect(slide?.title).toBe("For Everyone");
    expect(slide?.action?.kind).toMatchObject({ case: "play", value: { contentId: "m1" } });
    expect(slide?.secondaryActions.map((action) => action.kind)).toMatchObject([{ case: "toggleFavorite", value: { contentId: "m1" } }]);
  });

  it("is not found for an unknown title, nor for a title the kids cohort may not see", async () => {
    const unknown = await testBinder(titleHero, { dds, params: { contentId: "m9" } });
    expect([unknown.outcome, unknown.message]).toEqual(["not-found", 'title "m9" does not exist']);
    expect((await testBinder(titleHero, { dds, params: { contentId: "m2" }, ctx: { cohort: "kids" } })).outcome).toBe("not-found");
    expect((await testBinder(titleHero, { dds, params: { contentId: "m2" } })).outcome).toBe("ok");
  });

  it("passes the widget checks", async () => {
    const options = { ctx: { params: { contentId: "m1" } }, dds };
    const kids = await checkKidsRatings(titleHero, options);
    expect(kids.problems).toEqual([]);
    expect(kids.items).toBe(3);
    const images = await checkImageSizes(titleHero, { ctx: { params: { contentId: "m20" } } });
    expect(images.problems).toEqual([]);
    expect(images.items).toBeGreaterThan(0);
    expect((await checkLocales(titleHero, options)).problems).toEqual([]);
  });
});
