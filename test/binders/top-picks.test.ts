import { describe, expect, it } from "vitest";
import topPicks from "../../binders/top-picks/binder.ts";
import { messages } from "../../binders/top-picks/messages.ts";
import {
  checkAccessibility,
  checkImageSizes,
  checkKidsRatings,
  checkLocales,
  fixtureDds,
  testBinder,
} from "../../widget-registry/testing.ts";

describe("top-picks", () => {
  it("shows the persona's top picks in order, up to the limit, titled in the request's language", async () => {
    const dds = fixtureDds({
      films: [
        { id: "f1", title: "One" },
        { id: "f2", title: "Two" },
        { id: "f3", title: "Three" },
      ],
      topPicks: { p4: ["f3", "f1", "f2"] },
    });
    const run = await testBinder(topPicks, { dds, config: { limit: 2 }, ctx: { persona: "p4", locale: "fr" } });
    expect(run.outcome).toBe("ok");
    expect(run.body?.title).toBe(messages.fr!.title);
    expect(run.body?.items.map((item) => item.title)).toEqual(["Three", "One"]);
  });

  it("shows the kids cohort only titles for kids", async () => {
    const report = await checkKidsRatings(topPicks);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("gives every form factor correctly sized images", async () => {
    const report = await checkImageSizes(topPicks);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("has every string in every shipped locale", async () => {
    expect((await checkLocales(topPicks)).problems).toEqual([]);
  });

  it("gives screen readers a heading and a label naming each item's title, in every shipped locale", async () => {
    const report = await checkAccessibility(topPicks);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });
});
