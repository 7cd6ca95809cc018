/**
 * The request dimensions: everything of a page request but who exactly asks that can change the
 * page, declared once. The request parser, the RequestContext type, Vary, the LaunchDarkly context,
 * every cache key (widget, page, content entities), the preview's audience and the test contexts
 * all derive from this table; test/gateway/request-dimensions.test.ts checks the derivations and
 * that the page, widget and preview request messages carry a field for each dimension a request
 * may set.
 *
 * Adding a dimension: an entry here (its `output`; `content: true` if content requests carry it,
 * which takes its field in the content DDS's Audience, audience.proto), its field in GetPageRequest, StreamPageRequest and GetWidgetRequest
 * (page_service.proto, at the same number in the three) and, if a preview may set it, in
 * PreviewDraftRequest (layout_service.proto).
 */
import semver from "semver";
import { z } from "zod";
import { PERSONA, personaFor } from "./persona.ts";

export const PLATFORMS = ["web", "android", "ios", "tv"] as const;
export type Platform = (typeof PLATFORMS)[number];

export const FORM_FACTORS = ["phone", "tablet", "desktop", "tv"] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];

export const SUPPORTED_LOCALES = ["en", "fr"] as const;
/** Templates every client renders: what a client that does not say its version gets. */
export const DEFAULT_CLIENT_VERSION = "1.0.0";

const FORM_FACTOR_OF_PLATFORM: Record<Platform, FormFactor> = { web: "desktop", android: "phone", ios: "phone", tv: "tv" };

/** The best supported language of an Accept-Language header, or undefined. */
export function localeFromAcceptLanguage(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ranked = value
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(
        params
          .find((p) => p.trim().startsWith("q="))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { language: tag.toLowerCase().split("-")[0] ?? "", q: Number.isNaN(q) ? 0 : q };
    })
    .sort((a, b) => b.q - a.q);
  return ranked.find((entry) => (SUPPORTED_LOCALES as readonly string[]).includes(entry.language))?.language;
}

/**
 * Which cached output a dimension can change, and so which keys hold it: "widget" any widget's
 * (the public and persona widget keys and the page key); "persona" persona-scoped widgets' (the
 * persona widget key and the page key); "template" only which template the client renders (the
 * page key: a widget's key holds its template version).
 */
export type DimensionOutput = "widget" | "persona" | "template";

/** A header a dimension is read from when the request does not say it. */
export interface DimensionHeader {
  /** As sent in Vary; "trusted-region" names the configured trusted region header (a CDN's viewer-country header). */
  name: string;
  /** The dimension's value in the header's. */
  read?(value: string): string | undefined;
}

interface DimensionBase {
  output: DimensionOutput;
  /** Sent to the content DDS with every content request: its entities are kept per value (the entity bucket). */
  content?: true;
  /** The attribute of the LaunchDarkly context that flag rules target it by; none when absent. */
  flagAttribute?: string;
  /** What a layout preview assumes when it does not say; a preview cannot set the dimension when absent. */
  preview?: string;
}

/** A parameter of the page request (a query parameter, a field of the request message), else a header, else a default. */
export interface RequestDimension<S extends z.ZodType = z.ZodType> extends DimensionBase {
  from: "request";
  /** Validates the value; its default (if any) applies when neither the request nor the header says. */
  schema: S;
  header?: DimensionHeader;
  /** Worked out from the request's other dimensions when nothing says it. */
  derive?(dimensions: Record<string, string>): string;
  /** A signed-in caller's token claims it, whatever the request says: the request's value is an anonymous caller's. */
  claim?: true;
  /** The value of test contexts. */
  example: Exclude<z.output<S>, undefined>;
}

/** A claim of the caller's token (set by the gateway's identity; previews set it directly). */
export interface TokenDimension<T extends string = string> extends DimensionBase {
  from: "token";
  example: T;
}

/** Order is the order of key parts: keep it, or every cached entry misses once after a deploy. */
export const DIMENSIONS = {
  platform: {
    from: "request",
    schema: z.enum(PLATFORMS, { error: `must be one of ${PLATFORMS.join(", ")}` }),
    header: { name: "X-Tessera-Platform" },
    output: "widget",
    flagAttribute: "platform",
    preview: "web",
    example: "web",
  },
  clientVersion: {
    from: "request",
    schema: z
      .string()
      .refine((value) => semver.valid(value) !== null, "must be a semantic version such as 5.0.0")
      .default(DEFAULT_CLIENT_VERSION),
    header: { name: "X-Tessera-Client-Version" },
    output: "template",
    flagAttribute: "clientVersion",
    preview: "5.0.0",
    example: "5.0.0",
  },
  formFactor: {
    from: "request",
    schema: z.enum(FORM_FACTORS, { error: `must be one of ${FORM_FACTORS.join(", ")}` }).optional(),
    derive: (dimensions) => FORM_FACTOR_OF_PLATFORM[dimensions.platform as Platform],
    output: "widget",
    content: true,
    example: "desktop",
  },
  locale: {
    from: "request",
    schema: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be a language such as en or fr-FR")
      .default("en"),
    header: { name: "Accept-Language", read: localeFromAcceptLanguage },
    output: "widget",
    content: true,
    flagAttribute: "locale",
    preview: "en",
    example: "en",
  },
  cohort: { from: "token", output: "widget", content: true, flagAttribute: "cohort", preview: "", example: "" },
  region: {
    from: "request",
    schema: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as FR")
      .default(""),
    header: { name: "trusted-region", read: (value) => value.toUpperCase() },
    output: "widget",
    content: true,
    flagAttribute: "region",
    preview: "",
    example: "",
  },
  // An anonymous client names its persona in the URL (so that a shared cache can key on it), computed
  // from its device id by the README's rule; else the server computes it from X-Device-Id.
  persona: {
    from: "request",
    schema: z.string().regex(PERSONA, "must be one of p0 to p7").default("p0"),
    header: { name: "X-Device-Id", read: personaFor },
    claim: true,
    output: "persona",
    flagAttribute: "persona",
    example: "p0",
  },
} as const satisfies Record<string, RequestDimension | TokenDimension>;

type Table = typeof DIMENSIONS;
export type DimensionName = keyof Table;
type ValueOf<D> = D extends { schema: z.ZodType } ? Exclude<z.output<D["schema"]>, undefined> : string;

/** A request's value of every dimension. */
export type RequestDimensions = { -readonly [K in DimensionName]: ValueOf<Table[K]> };

type NamesWhere<Condition> = { [K in DimensionName]: Table[K] extends Condition ? K : never }[DimensionName];
export type RequestParameter = NamesWhere<{ from: "request" }>;
export type TokenClaim = NamesWhere<{ from: "token" }>;
export type PreviewDimension = NamesWhere<{ preview: string }>;
export type ClaimedParameter = NamesWhere<{ claim: true }>;
export type ContentDimension = NamesWhere<{ content: true }>;

const entries = Object.entries(DIMENSIONS) as [DimensionName, RequestDimension | TokenDimension][];
const namesWhere = (keep: (dimension: RequestDimension | TokenDimension) => boolean) =>
  entries.filter(([, dimension]) => keep(dimension)).map(([name]) => name);

export const DIMENSION_NAMES = entries.map(([name]) => name);
export const REQUEST_PARAMETERS = namesWhere((dimension) => dimension.from === "request") as RequestParameter[];
export const TOKEN_CLAIMS = namesWhere((dimension) => dimension.from === "token") as TokenClaim[];
export const CLAIMED_PARAMETERS = namesWhere((dimension) => dimension.from === "request" && dimension.claim === true) as ClaimedParameter[];
export const PREVIEW_DIMENSIONS = namesWhere((dimension) => dimension.preview !== undefined) as PreviewDimension[];

/** The keys that hold dimensions: which output each can change. */
export type DimensionKey = "widget" | "persona" | "page" | "content";
export const KEYED_DIMENSIONS: Record<DimensionKey, readonly DimensionName[]> = {
  widget: namesWhere((dimension) => dimension.output === "widget"),
  persona: namesWhere((dimension) => dimension.output === "persona"),
  page: DIMENSION_NAMES,
  content: namesWhere((dimension) => dimension.content === true),
};

export const KEY_SEPARATOR = "\u0001";

/**
 * The part of `key` that the request's dimensions make, its values joined by KEY_SEPARATOR. The
 * "persona" part holds only what persona widgets add to the "widget" part.
 */
export function dimensionsKey(dimensions: RequestDimensions, key: DimensionKey): string {
  const names = KEYED_DIMENSIONS[key];
  let part = dimensions[names[0]!];
  for (let i = 1; i < names.length; i++) part += KEY_SEPARATOR + dimensions[names[i]!];
  return part;
}

/** The request's dimensions as test contexts have them, unless a test says otherwise. */
export function exampleDimensions(): RequestDimensions {
  return Object.fromEntries(entries.map(([name, dimension]) => [name, dimension.example])) as RequestDimensions;
}

/** What a layout preview assumes of each dimension it may set, when it does not say. */
export const PREVIEW_DEFAULTS = Object.fromEntries(
  PREVIEW_DIMENSIONS.map((name) => [name, (DIMENSIONS[name] as RequestDimension | TokenDimension).preview]),
) as Record<PreviewDimension, string>;
