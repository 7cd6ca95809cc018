import { describe, expect, it } from "vitest";
import favorites from "../../binders/favorites/binder.ts";
import { messages } from "../../binders/favorites/messages.ts";
import {
  checkAccessibility,
  checkImageSizes,
  checkKidsRatings,
  checkLocales,
  fixtureDds,
  testBinder,
} from "../../widget-registry/testing.ts";

const dds = fixtureDds({
  films: [
    { id: "f1", title: "Old Love" },
    { id: "f2", title: "New Love" },
    { id: "f3", title: "Not Loved" },
  ],
  users: { u7: { favorites: ["f2", "f1"] } },
});

describe("favorites", () => {
  it("shows a signed-in user's favorites as a grid of the configured columns, up to the limit", async () => {
    const run = await testBinder(favorites, { dds, config: { columns: 3 }, ctx: { userId: "u7", locale: "fr" } });
    expect(run.outcome).toBe("ok");
    expect(run.body?.title).toBe(messages.fr!.title);
    expect(run.body?.columns).toBe(3);
    expect(run.body?.items.map((item) => item.title)).toEqual(["New Love", "Old Love"]);
    expect((await testBinder(favorites, { dds, config: { limit: 1 }, ctx: { userId: "u7" } })).body?.items).toHaveLength(1);
  });

  it("is left out for an anonymous user and for a user without favorites", async () => {
    expect((await testBinder(favorites, { dds, ctx: { userId: "" } })).outcome).toBe("empty");
    expect((await testBinder(favorites, { dds, ctx: { userId: "u8" } })).outcome).toBe("empty");
  });

  it("shows the kids cohort only titles for kids", async () => {
    const report = await checkKidsRatings(favorites);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("gives every form factor correctly sized images", async () => {
    const report = await checkImageSizes(favorites);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("has every string in every shipped locale", async () => {
    expect((await checkLocales(favorites)).problems).toEqual([]);
  });

  it("gives screen readers a heading and a label naming each item's title, in every shipped locale", async () => {
    const report = await checkAccessibility(favorites);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });
});
