/**
 * An item's accessibility label (Item.accessibility_label): what a screen reader says for a tile,
 * in the request's locale: title, year, rating, progress, and "premium" where they apply.
 */
import type { Content } from "../protos/gen/tessera/dds/v1/content_pb.js";

interface LabelWords {
  rated(rating: string): string;
  watched(percent: number): string;
  premium: string;
}

const WORDS: Record<string, LabelWords> = {
  en: { rated: (rating) => `rated ${rating}`, watched: (percent) => `${percent}% watched`, premium: "premium" },
  fr: { rated: (rating) => `classé ${rating}`, watched: (percent) => `vu à ${percent} %`, premium: "premium" },
};

export interface LabelFacts {
  content: Pick<Content, "title" | "releaseYear" | "ageRating">;
  progressPercent: number;
  badge: string;
}

// A page labels about 260 items, mostly titles it labelled before: what a title says of itself
// (title, year, rating) is made once per title and locale; content entities are never changed.
const bases = new WeakMap<LabelFacts["content"], Record<string, string>>();

function baseOf(locale: string, words: LabelWords, content: LabelFacts["content"]): string {
  let byLocale = bases.get(content);
  if (byLocale === undefined) bases.set(content, (byLocale = {}));
  let base = byLocale[locale];
  if (base === undefined) {
    base = content.title;
    if (content.releaseYear > 0) base += `, ${content.releaseYear}`;
    if (content.ageRating) base += `, ${words.rated(content.ageRating)}`;
    byLocale[locale] = base;
  }
  return base;
}

/** e.g. "Up, 2009, rated PG, 40% watched, premium"; English for a locale without words. */
export function accessibilityLabel(locale: string, { content, progressPercent, badge }: LabelFacts): string {
  const words = WORDS[locale] ?? WORDS.en!;
  let label = baseOf(locale, words, content);
  if (progressPercent > 0) label += `, ${words.watched(progressPercent)}`;
  if (badge === "premium") label += `, ${words.premium}`;
  return label;
}
