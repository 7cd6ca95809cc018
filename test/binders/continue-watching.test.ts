import { describe, expect, it } from "vitest";
import continueWatching from "../../binders/continue-watching/binder.ts";
import { messages } from "../../binders/continue-watching/messages.ts";
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
    { id: "f1", title: "Barely Started" },
    { id: "f2", title: "Almost Done" },
    { id: "f3", title: "Never Seen" },
  ],
  users: {
    u7: {
      history: [
        { contentId: "f2", progressPercent: 85 },
        { contentId: "f1", progressPercent: 10 },
      ],
    },
  },
});

describe("continue-watching", () => {
  it("shows the titles the user started, most recent first, each with its progress", async () => {
    const run = await testBinder(continueWatching, { dds, ctx: { userId: "u7", locale: "fr" } });
    expect(run.outcome).toBe("ok");
    expect(run.body?.title).toBe(messages.fr!.title);
    expect(run.body?.items.map((item) => [item.title, item.progressPercent])).toEqual([
      ["Almost Done", 85],
      ["Barely Started", 10],
    ]);
    expect((await testBinder(continueWatching, { dds, ctx: { userId: "u7" }, config: { limit: 1 } })).body?.items).toHaveLength(1);
  });

  it("is left out for a user who started nothing and for an anonymous one", async () => {
    expect((await testBinder(continueWatching, { dds, ctx: { userId: "u8" } })).outcome).toBe("empty");
    expect((await testBinder(continueWatching, { dds, ctx: { userId: "" } })).outcome).toBe("empty");
  });

  it("shows the kids cohort only titles for kids", async () => {
    const report = await checkKidsRatings(continueWatching);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("gives every form factor correctly sized images", async () => {
    const report = await checkImageSizes(continueWatching);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("has every string in every shipped locale", async () => {
    expect((await checkLocales(continueWatching)).problems).toEqual([]);
  });

  it("gives screen readers a heading and a label naming each item's title, in every shipped locale", async () => {
    const report = await checkAccessibility(continueWatching);
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });
});
