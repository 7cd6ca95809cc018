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

/** e.g. "Up, 2009, rated PG, 40% watched, premium"; English for a locale without words. */
export function accessibilityLabel(locale: string, { content, progressPercent, badge }: LabelFacts): string {
  const words = WORDS[locale] ?? WORDS.en!;
  let label = content.title;
  if (content.releaseYear > 0) label += `, ${content.releaseYear}`;
  if (content.ageRating) label += `, ${words.rated(content.ageRating)}`;
  if (progressPercent > 0) label += `, ${words.watched(progressPercent)}`;
  if (badge === "premium") label += `, ${words.premium}`;
  return label;
}
