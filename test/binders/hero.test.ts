import { describe, expect, it } from "vitest";
import hero from "../../binders/hero/binder.ts";
import {
  checkAccessibility,
  checkImageSizes,
  checkKidsRatings,
  checkLocales,
  fixtureDds,
  imageSizesFor,
  testBinder,
} from "../../widget-registry/testing.ts";

describe("hero", () => {
  it("shows the persona's best-rated top picks as masthead slides, highest IMDB rating first", async () => {
    const dds = fixtureDds({
      films: [
        { id: "f1", title: "Six", imdbRating: 6 },
        { id: "f2", title: "Nine", imdbRating: 9 },
        { id: "f3", title: "Seven", imdbRating: 7 },
        { id: "f4", title: "Eight", imdbRating: 8 },
      ],
      topPicks: { p1: ["f1", "f2", "f3", "f4"] },
    });
    const run = await testBinder(hero, { dds, config: { slides: 3, rotateSeconds: 4 } });
    expect(run.outcome).toBe("ok");
    expect(run.body?.slides.map((slide) => slide.title)).toEqual(["Nine", "Eight", "Seven"]);
    expect(run.body?.rotateSeconds).toBe(4);
    const masthead = imageSizesFor("desktop")[1];
    expect(run.body?.slides.map((slide) => `${slide.image?.width}x${slide.image?.height}`)).toEqual([masthead, masthead, masthead]);
  });

  it("shows the kids cohort only titles for kids", async () => {
    const report = await checkKidsRatings(hero);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("gives every form factor correctly sized images", async () => {
    const report = await checkImageSizes(hero);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("has every string in every shipped locale", async () => {
    expect((await checkLocales(hero)).problems).toEqual([]);
  });

  it("gives screen readers a heading and a label naming each item's title, in every shipped locale", async () => {
    const report = await checkAccessibility(hero);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });
});
