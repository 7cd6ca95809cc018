/**
 * The checks every widget needs, as functions that run a binder across audiences and report
 * problems (an empty list when the widget passes). `runs` and `items` show what was checked, so a
 * test can also assert the check was not vacuous.
 */
import { SUPPORTED_LOCALES } from "../request-dimensions.ts";
import { heroImage, tileImage } from "../../dds/content/images.ts";
import type { Image, Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";
import { FORM_FACTORS, type FormFactor, type Platform, type RequestContext } from "../context.ts";
import type { Binder } from "../sdk.ts";
import type { DdsClient } from "./dds.ts";
import { testBinder, type BinderRun } from "./run-binder.ts";

/** The locales a page can be served in. */
export const SHIPPED_LOCALES: readonly string[] = SUPPORTED_LOCALES;
/** What the kids cohort may see: MPAA G and PG; unrated titles are not for kids. */
export const KIDS_ALLOWED_RATINGS: readonly string[] = ["G", "PG"];

export interface CheckOptions {
  config?: unknown;
  /** Overrides of the context every run starts from (the check then sets what it varies). */
  ctx?: Partial<RequestContext>;
  dds?: DdsClient;
}

export interface CheckReport {
  problems: string[];
  /** Binder runs the check made. */
  runs: number;
  /** Items (tiles) the check looked at across all runs. */
  items: number;
}

/** Every message of a type inside a message, depth first (protobuf-es messages are plain objects). */
export function findMessages<T>(root: unknown, typeName: string): T[] {
  const found: T[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== "object" || value instanceof Uint8Array) return;
    if ((value as { $typeName?: string }).$typeName === typeName) found.push(value as T);
    Object.values(value).forEach(visit);
  };
  visit(root);
  return found;
}

export const itemsOf = (body: unknown): Item[] => findMessages<Item>(body, "tessera.widgets.v1.Item");
export const imagesOf = (body: unknown): Image[] => findMessages<Image>(body, "tessera.widgets.v1.Image");

function failed(label: string, run: BinderRun): string[] {
  return run.outcome === "error" || run.outcome === "timeout" ? [`${label}: ${run.outcome}: ${run.message}`] : [];
}

const KIDS_AUDIENCES = [
  { userId: "u1", persona: "p1" },
  { userId: "u2", persona: "p2" },
  { userId: "", persona: "p3" },
];

/** The kids cohort sees only G and PG titles, for signed-in and anonymous kids of several personas. */
export async function checkKidsRatings(binder: Binder, options: CheckOptions = {}): Promise<CheckReport> {
  const report: CheckReport = { problems: [], runs: 0, items: 0 };
  for (const audience of KIDS_AUDIENCES) {
    const label = `kids ${audience.userId || "anonymous"}/${audience.persona}`;
    const run = await testBinder(binder, { ...options, ctx: { ...options.ctx, ...audience, cohort: "kids" } });
    report.runs++;
    report.problems.push(...failed(label, run));
    for (const item of itemsOf(run.body)) {
      report.items++;
      if (!KIDS_ALLOWED_RATINGS.includes(item.ageRating)) {
        report.problems.push(`${label}: ${item.contentId} "${item.title}" is rated "${item.ageRating || "unrated"}"`);
      }
    }
  }
  return report;
}

/** The platform each form factor is checked on. */
const PLATFORM_OF: Record<FormFactor, Platform> = { phone: "android", tablet: "ios", desktop: "web", tv: "tv" };

/** The artwork sizes a form factor may get: its tile and its masthead size, as the content DDS serves them. */
export function imageSizesFor(formFactor: FormFactor): string[] {
  return [tileImage("", "x", formFactor), heroImage("", "x", formFactor)].map((image) => `${image.width}x${image.height}`);
}

/** Every form factor gets images of its own sizes, with a URL, on every item. */
export async function checkImageSizes(binder: Binder, options: CheckOptions = {}): Promise<CheckReport> {
  const report: CheckReport = { problems: [], runs: 0, items: 0 };
  for (const formFactor of FORM_FACTORS) {
    const run = await testBinder(binder, { ...options, ctx: { ...options.ctx, formFactor, platform: PLATFORM_OF[formFactor] } });
    report.runs++;
    report.problems.push(...failed(formFactor, run));
    const allowed = imageSizesFor(formFactor);
    for (const item of itemsOf(run.body)) {
      report.items++;
      if (!item.image) report.problems.push(`${formFactor}: ${item.contentId} has no image`);
    }
    for (const image of imagesOf(run.body)) {
      const size = `${image.width}x${image.height}`;
      if (!allowed.includes(size))
        report.problems.push(`${formFactor}: image ${image.url} is ${size}, expected one of ${allowed.join(", ")}`);
      if (!image.url) report.problems.push(`${formFactor}: an image has no URL`);
    }
  }
  return report;
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{(\w+)\}/g)]
    .map((match) => match[1])
    .sort()
    .join(",");

/**
 * Every shipped locale has every string: every key of any catalog and every key the binder asks
 * `ctx.t` for in a run, with the same `{placeholders}` as English.
 */
export async function checkLocales(binder: Binder, options: CheckOptions & { locales?: readonly string[] } = {}): Promise<CheckReport> {
  const locales = options.locales ?? SHIPPED_LOCALES;
  const catalogs = binder.messages ?? {};
  const report: CheckReport = { problems: [], runs: 0, items: 0 };
  const keys = new Set(Object.values(catalogs).flatMap((catalog) => Object.keys(catalog)));
  for (const locale of locales) {
    const run = await testBinder(binder, { ...options, ctx: { ...options.ctx, locale } });
    report.runs++;
    report.items += itemsOf(run.body).length;
    report.problems.push(...failed(locale, run));
    run.messageKeys.forEach((key) => keys.add(key));
  }
  for (const locale of locales) {
    for (const key of [...keys].sort()) {
      const text = catalogs[locale]?.[key];
      if (text === undefined) {
        report.problems.push(`${locale}: no message "${key}"`);
        continue;
      }
      const english = catalogs.en?.[key];
      if (english !== undefined && placeholders(english) !== placeholders(text)) {
        report.problems.push(`${locale}: "${key}" has placeholders {${placeholders(text)}}, en has {${placeholders(english)}}`);
      }
    }
  }
  return report;
}

/**
 * In every shipped locale, what a screen reader says: the widget has a heading, and every item an
 * accessibility label that names its title.
 */
export async function checkAccessibility(
  binder: Binder,
  options: CheckOptions & { locales?: readonly string[] } = {},
): Promise<CheckReport> {
  const report: CheckReport = { problems: [], runs: 0, items: 0 };
  for (const locale of options.locales ?? SHIPPED_LOCALES) {
    const run = await testBinder(binder, { ...options, ctx: { ...options.ctx, locale } });
    report.runs++;
    report.problems.push(...failed(locale, run));
    if (run.widget && run.widget.accessibilityHeading.trim() === "") {
      report.problems.push(`${locale}: the widget has no heading (a "heading" message, or a title in its body)`);
    }
    for (const item of itemsOf(run.body)) {
      report.items++;
      if (item.accessibilityLabel.trim() === "") report.problems.push(`${locale}: ${item.contentId} has no accessibility label`);
      else if (!item.accessibilityLabel.includes(item.title))
        report.problems.push(
          `${locale}: the label of ${item.contentId} "${item.accessibilityLabel}" does not name its title "${item.title}"`,
        );
    }
  }
  return report;
}
