import { describe, expect, it } from "vitest";
import { accessibilityLabel } from "../../widget-registry/item-accessibility.ts";

describe("accessibilityLabel", () => {
  const up = { title: "Up", releaseYear: 2009, ageRating: "PG" };

  it("says title, year, rating, progress and premium in the request's locale", () => {
    expect(accessibilityLabel("en", { content: up, progressPercent: 40, badge: "premium" })).toBe(
      "Up, 2009, rated PG, 40% watched, premium",
    );
    expect(accessibilityLabel("fr", { content: up, progressPercent: 40, badge: "" })).toBe("Up, 2009, classé PG, vu à 40 %");
    expect(accessibilityLabel("de", { content: up, progressPercent: 0, badge: "" })).toBe("Up, 2009, rated PG");
  });

  it("gives each locale, badge and progress of one entity its own label, asked in any order", () => {
    const asked = [
      ["en", 0, ""],
      ["fr", 0, ""],
      ["en", 0, "premium"],
      ["en", 10, ""],
      ["fr", 0, "premium"],
      ["en", 0, ""],
    ] as const;
    const labels = asked.map(([locale, progressPercent, badge]) => accessibilityLabel(locale, { content: up, progressPercent, badge }));
    expect(labels).toEqual([
      "Up, 2009, rated PG",
      "Up, 2009, classé PG",
      "Up, 2009, rated PG, premium",
      "Up, 2009, rated PG, 10% watched",
      "Up, 2009, classé PG, premium",
      "Up, 2009, rated PG",
    ]);
  });

  it("follows a changed title: the DDS hands out a new entity for it", () => {
    expect(accessibilityLabel("en", { content: { ...up, title: "Up (restored)" }, progressPercent: 0, badge: "" })).toBe(
      "Up (restored), 2009, rated PG",
    );
  });
});
