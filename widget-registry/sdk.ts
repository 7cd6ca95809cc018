/**
 * The binder SDK: everything a widget team needs to write a binder, and nothing else.
 * A binder imports this module and generated protos only.
 */
import { create } from "@bufbuild/protobuf";
import type { z } from "zod";
import { ItemSchema, type Item } from "../protos/gen/tessera/widgets/v1/item_pb.js";
import type { Action } from "../protos/gen/tessera/widgets/v1/action_pb.js";
import type { Content } from "../protos/gen/tessera/dds/v1/content_pb.js";
import type { HistoryEntry } from "../protos/gen/tessera/dds/v1/user_pb.js";
import type { Widget } from "../protos/gen/tessera/page/v1/widget_pb.js";
import type { Platform, RequestContext } from "./context.ts";
import { accessibilityLabel } from "./item-accessibility.ts";
import { deepLinkOf, TITLE_PAGE, TITLE_PARAMETER } from "./item-links.ts";

export { z } from "zod";
export { create } from "@bufbuild/protobuf";
export type { Content } from "../protos/gen/tessera/dds/v1/content_pb.js";
export type { HistoryEntry } from "../protos/gen/tessera/dds/v1/user_pb.js";
export type { Action } from "../protos/gen/tessera/widgets/v1/action_pb.js";
export { NO_FLAGS, PLATFORMS, FORM_FACTORS } from "./context.ts";
export { GENRE_NAMES, GENRES } from "./genre-names.ts";
export type { Flags, FormFactor, Platform, RequestContext } from "./context.ts";

/** Who may share a widget's output: everyone, one persona, or one user only. */
export type CacheScope = "public" | "persona" | "user";

export type TemplateStatus = "experimental" | "active" | "deprecated" | "retired";

/** One version of a widget's template: what clients can render it, and where it is in its life. */
export interface TemplateVersion {
  version: string;
  /** Lowest client version per platform that renders this template; a platform absent here cannot. */
  minClientVersion: Partial<Record<Platform, string>>;
  status: TemplateStatus;
}

/** The name of a `Widget.body` field, e.g. "hero" or "tray". */
export type WidgetBodyCase = NonNullable<Widget["body"]["case"]>;
/** The message of a `Widget.body` field. */
export type WidgetBody<Case extends WidgetBodyCase> = Extract<Widget["body"], { case: Case }>["value"];

/** A tile's data: a content entity joined with the user's entitlement to it. */
export interface Tile {
  content: Content;
  entitled: boolean;
  /** e.g. "premium"; "" for none. */
  badge: string;
}

/**
 * The request-scoped door to the Display Data Services. Every call is batched and de-duplicated
 * with every other binder's calls of the page; the audience (user, persona, cohort, form factor,
 * locale) is the request's.
 */
export interface DdsFacade {
  /** Content entities in the order asked; ids unknown or not allowed for the audience are dropped. */
  content(ids: readonly string[]): Promise<Content[]>;
  /** Content entities joined with the user's entitlements, in the order asked, dropped as `content`. */
  tiles(ids: readonly string[]): Promise<Tile[]>;
  /** The content ids of a genre, by IMDB votes, already filtered for the audience. */
  genreList(genre: string): Promise<string[]>;
  /** The user's titles in progress, most recent first; empty when anonymous. */
  history(): Promise<HistoryEntry[]>;
  /** The user's favorites, most recent first; empty when anonymous. */
  favorites(): Promise<string[]>;
  /** The persona's top picks, best first. */
  topPicks(): Promise<string[]>;
}

/** Per-locale message catalogs: locale → key → text with `{name}` placeholders. */
export type MessageCatalogs = Record<string, Record<string, string>>;

/**
 * The message key of a widget's accessibility heading (`Widget.accessibility_heading`, what a screen
 * reader announces for it). A binder whose catalogs have it is announced by it; any other by its
 * body's `title`.
 */
export const HEADING_MESSAGE = "heading";

/** When a widget, or one of its items, counts as seen: `visiblePercent` of it on screen for `durationMs` without a break. */
export interface ImpressionRule {
  /** 1 to 100. */
  visiblePercent: number;
  /** 0 to 10000. */
  durationMs: number;
}

/** Half of it on screen for 800 ms (DivKit's rule). */
export const DEFAULT_IMPRESSION: ImpressionRule = { visiblePercent: 50, durationMs: 800 };

export interface BinderContext extends RequestContext {
  /** The template version chosen for this client. */
  templateVersion: string;
  /** Aborted when the binder's deadline passes: work still running for it may stop. */
  signal: AbortSignal;
  /** The binder's message for `key` in the request's locale (English when missing), `{name}`s filled from `params`. */
  t(key: string, params?: Record<string, string | number>): string;
  /**
   * Which page of its items the widget shows: "" for the first, else a cursor its `nextCursor` gave
   * (README, "Load more"). Only a binder with `nextCursor` is ever given one.
   */
  cursor: string;
}

/**
 * Thrown by a binder when what its page is about does not exist for the caller (an unknown title,
 * or one the audience may not see). The widget is left out ("not-found"); when its placement is
 * essential, the page is answered 404 not-found with this message rather than served without it.
 */
export class NotFound extends Error {}

/** The version of this SDK; a plugin built for another major version is refused at start. */
export const SDK_VERSION = "1.0.0";

export interface BinderDefinition<Config, Data, Case extends WidgetBodyCase> {
  /** The widget type, e.g. "genre-tray": unique across all binders. */
  type: string;
  /** The SDK versions the binder was written for, a semver range such as "^1.0.0"; plugins should say. */
  sdkVersion?: string;
  /** Which `Widget.body` field the binder fills. */
  body: Case;
  /** Template versions, oldest first. */
  templates: readonly TemplateVersion[];
  /** Validates a placement's config; exported as JSON Schema for the dashboard. */
  configSchema: z.ZodType<Config>;
  cacheScope: CacheScope;
  /** How long fetch and bind may take together; the widget is left out when they take longer. Default 250. */
  deadlineMs?: number;
  /** The most entries a repeated field of the widget's message may hold; the runtime cuts longer ones. Default 50. */
  maxItems?: number;
  /** Its texts per locale, for `ctx.t()`; a `heading` key names the widget for screen readers (HEADING_MESSAGE). */
  messages?: MessageCatalogs;
  /** When the widget counts as seen, written into its logging data (`WidgetLogging.visibility`). Default DEFAULT_IMPRESSION. */
  impression?: ImpressionRule;
  /** Gets the display data, only through `dds`. */
  fetch(ctx: BinderContext, config: Config, dds: DdsFacade): Promise<Data>;
  /**
   * Turns the data into the widget's message; pure and synchronous, and it never changes `data` (a
   * user-scoped widget made from data equal to the last is reused, not bound again). Return null for nothing to show.
   */
  bind(data: Data, ctx: BinderContext, config: Config): WidgetBody<Case> | null;
  /**
   * A binder that pages has this: the cursor of the page after the one `data` holds ("" when it is
   * the last), which `fetch` gets back as `ctx.cursor` when the client loads more. Pure and
   * deterministic, like `bind`: it is cached with the widget.
   */
  nextCursor?(data: Data, ctx: BinderContext, config: Config): string;
}

/** A binder as the runtime sees it, whatever its config and data types. */
export type Binder = BinderDefinition<any, any, any>;

export const DEFAULT_DEADLINE_MS = 250;
export const DEFAULT_MAX_ITEMS = 50;

/** Declares a binder; the identity function that gives it its types. */
export function defineBinder<Config, Data, Case extends WidgetBodyCase>(
  definition: BinderDefinition<Config, Data, Case>,
): BinderDefinition<Config, Data, Case> {
  return definition;
}

export interface ItemOptions {
  /** Which artwork the item shows: the 16:9 tile (default) or the wide masthead. */
  artwork?: "tile" | "hero";
  /** Watch progress in percent. */
  progressPercent?: number;
  /** A badge that wins over the entitlement badge, e.g. "new". */
  badge?: string;
  /** What a tap does; by default it opens the title's page (`openTitle`). */
  action?: Action;
  /** Further actions offered on the item, e.g. `play` and `toggleFavorite`. */
  secondaryActions?: Action[];
}

/** Opens a page, e.g. `openPage("genre", { genre: "Drama" })`. */
export function openPage(pageId: string, parameters: Record<string, string> = {}): Action {
  return {
    $typeName: "tessera.widgets.v1.Action",
    kind: {
      case: "openPage",
      value: {
        $typeName: "tessera.widgets.v1.OpenPage",
        pageId,
        parameters: Object.entries(parameters).map(([name, value]) => ({ $typeName: "tessera.widgets.v1.PageParameter", name, value })),
      },
    },
  };
}

// Every item of a page has one, so each title's is made once, and frozen: it cannot be changed by
// one page while another holds it, and the widget encoder keeps its bytes.
const titleActions = new Map<string, Action>();
const TITLE_ACTIONS_MAX = 20_000;

function deepFreeze<T extends object>(value: T): T {
  for (const field of Object.values(value)) if (typeof field === "object" && field !== null) deepFreeze(field);
  return Object.freeze(value);
}

/** Opens the title's page: what a tap on an item does unless its binder says otherwise. */
export function openTitle(contentId: string): Action {
  let action = titleActions.get(contentId);
  if (action === undefined) {
    action = deepFreeze(openPage(TITLE_PAGE, { [TITLE_PARAMETER]: contentId }));
    if (titleActions.size >= TITLE_ACTIONS_MAX) titleActions.clear();
    titleActions.set(contentId, action);
  }
  return action;
}

/** Starts playback of the title. */
export function play(contentId: string): Action {
  return {
    $typeName: "tessera.widgets.v1.Action",
    kind: { case: "play", value: { $typeName: "tessera.widgets.v1.PlayTitle", contentId } },
  };
}

/** Opens a deep link or web address the client handles itself. */
export function openLink(url: string): Action {
  return { $typeName: "tessera.widgets.v1.Action", kind: { case: "openLink", value: { $typeName: "tessera.widgets.v1.OpenLink", url } } };
}

/** Adds the title to the signed-in user's favorites, or takes it out (the favorites API). */
export function toggleFavorite(contentId: string): Action {
  return {
    $typeName: "tessera.widgets.v1.Action",
    kind: { case: "toggleFavorite", value: { $typeName: "tessera.widgets.v1.ToggleFavorite", contentId } },
  };
}

/** Each DDS image's item image, made once and frozen (the DDS hands out one read-only entity per title). */
const itemImages = new WeakMap<object, Item["image"] & object>();

function itemImage(image: { url: string; width: number; height: number }): Item["image"] & object {
  let made = itemImages.get(image);
  if (made === undefined) {
    made = Object.freeze({ $typeName: "tessera.widgets.v1.Image", url: image.url, width: image.width, height: image.height, path: "" });
    itemImages.set(image, made);
  }
  return made;
}

/**
 * The item a tile shows: title, sized artwork, age rating, badge, progress, deep link, its action
 * (open the title's page unless told otherwise) and its accessibility label in the request's locale.
 */
export function toItem(tile: Tile, ctx: Pick<RequestContext, "locale">, options: ItemOptions = {}): Item {
  const { content } = tile;
  const image = options.artwork === "hero" ? content.heroImage : content.tileImage;
  const badge = options.badge || tile.badge;
  const progressPercent = options.progressPercent ?? 0;
  // The message as a literal, every field set: what create() would build, without its reflection
  // (a page holds about 260 items).
  return {
    $typeName: ItemSchema.typeName as Item["$typeName"],
    contentId: content.id,
    title: content.title,
    image: image && itemImage(image),
    ageRating: content.ageRating,
    badge,
    progressPercent,
    deepLink: deepLinkOf(content.id),
    action: options.action ?? openTitle(content.id),
    secondaryActions: options.secondaryActions ?? [],
    accessibilityLabel: accessibilityLabel(ctx.locale, { content, progressPercent, badge }),
    logging: undefined,
  };
}
