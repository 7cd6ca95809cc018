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

/**
 * Labels without progress, per content entity and then locale and badge: most items have no
 * progress, and the DDS hands out one read-only entity per title.
 */
const labelsWithoutProgress = new WeakMap<object, Map<string, string>>();

/** e.g. "Up, 2009, rated PG, 40% watched, premium"; English for a locale without words. */
export function accessibilityLabel(locale: string, facts: LabelFacts): string {
  if (facts.progressPercent > 0) return composeLabel(locale, facts);
  let labels = labelsWithoutProgress.get(facts.content);
  if (labels === undefined) {
    labels = new Map();
    labelsWithoutProgress.set(facts.content, labels);
  }
  const key = facts.badge === "premium" ? `${locale} premium` : locale;
  let label = labels.get(key);
  if (label === undefined) {
    label = composeLabel(locale, facts);
    labels.set(key, label);
  }
  return label;
}

function composeLabel(locale: string, { content, progressPercent, badge }: LabelFacts): string {
  const words = WORDS[locale] ?? WORDS.en!;
  let label = content.title;
  if (content.releaseYear > 0) label += `, ${content.releaseYear}`;
  if (content.ageRating) label += `, ${words.rated(content.ageRating)}`;
  if (progressPercent > 0) label += `, ${words.watched(progressPercent)}`;
  if (badge === "premium") label += `, ${words.premium}`;
  return label;
}
