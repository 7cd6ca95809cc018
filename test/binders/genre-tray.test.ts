import { describe, expect, it } from "vitest";
import genreTray, { NEW_BADGE_FLAG } from "../../binders/genre-tray/binder.ts";
import { messages } from "../../binders/genre-tray/messages.ts";
import { checkImageSizes, checkKidsRatings, checkLocales, fixtureDds, testBinder, testFlags } from "../../widget-registry/testing.ts";

const config = { genre: "Comedy" };
const dds = fixtureDds({
  films: [
    { id: "f1", title: "Few Votes", genre: "Comedy", imdbVotes: 10, releaseYear: 2015 },
    { id: "f2", title: "Most Votes", genre: "Comedy", imdbVotes: 300, releaseYear: 2001 },
    { id: "f3", title: "Some Votes", genre: "Comedy", imdbVotes: 50, releaseYear: 2012 },
    { id: "f4", title: "A Drama", genre: "Drama", imdbVotes: 1000 },
  ],
});

describe("genre-tray", () => {
  it("shows the genre's titles by votes, most first, titled by the genre in the request's language", async () => {
    const run = await testBinder(genreTray, { dds, config, ctx: { locale: "fr" } });
    expect(run.outcome).toBe("ok");
    expect(run.body?.title).toBe(messages.fr!.Comedy);
    expect(run.body?.items.map((item) => item.title)).toEqual(["Most Votes", "Some Votes", "Few Votes"]);
    expect(run.body?.seeAllLink).toBe("tessera://genre/Comedy");
    expect(run.body?.seeAll?.kind).toMatchObject({
      case: "openPage",
      value: { pageId: "genre", parameters: [{ name: "genre", value: "Comedy" }] },
    });
  });

  it("badges titles released since newSinceYear as new, only while the flag is on", async () => {
    const newTitles = async (flag: boolean) => {
      const run = await testBinder(genreTray, {
        dds,
        config: { ...config, newSinceYear: 2010 },
        ctx: { flags: testFlags({ [NEW_BADGE_FLAG]: flag }) },
      });
      return run.body?.items.filter((item) => item.badge === "new").map((item) => item.title);
    };
    expect(await newTitles(true)).toEqual(["Some Votes", "Few Votes"]);
    expect(await newTitles(false)).toEqual([]);
  });

  it("pages through the genre's list, limit titles at a time, each title once, with no cursor after the last", async () => {
    const first = await testBinder(genreTray, { dds, config: { ...config, limit: 2 } });
    expect(first.body?.items.map((item) => item.title)).toEqual(["Most Votes", "Some Votes"]);
    expect(first.nextCursor).toBe("2");
    const second = await testBinder(genreTray, { dds, config: { ...config, limit: 2 }, cursor: first.nextCursor });
    expect(second.body?.items.map((item) => item.title)).toEqual(["Few Votes"]);
    expect(second.nextCursor).toBe("");
    const whole = await testBinder(genreTray, { dds, config: { ...config, limit: 3 } });
    expect(whole.nextCursor).toBe("");
  });

  it("refuses a cursor that is not an offset", async () => {
    const run = await testBinder(genreTray, { dds, config, cursor: "-1" });
    expect(run.outcome).toBe("error");
    expect(run.message).toMatch(/not an offset/);
  });

  it("shows the kids cohort only titles for kids", async () => {
    const report = await checkKidsRatings(genreTray, { config: { genre: "Drama" } });
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("gives every form factor correctly sized images", async () => {
    const report = await checkImageSizes(genreTray, { config: { genre: "Drama" } });
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("has every string in every shipped locale", async () => {
    expect((await checkLocales(genreTray, { config: { genre: "Drama" } })).problems).toEqual([]);
  });
});
