/**
 * The page request's parameters, validated. Each comes from the query first, then from a header:
 * platform from `X-Tessera-Platform`, client version from `X-Tessera-Client-Version`, locale from
 * `Accept-Language`, region from the configured trusted header (a CDN's viewer-country header).
 */
import semver from "semver";
import { z } from "zod";
import { PAGE_ID, PAGE_ID_RULE } from "../../layout-service/page-id.ts";
import { FORM_FACTORS, PLATFORMS, type FormFactor, type Platform } from "../../widget-registry/context.ts";
import { invalidParameter } from "../../api/errors.ts";

/** Templates every client renders: what a client that does not say its version gets. */
export const DEFAULT_CLIENT_VERSION = "1.0.0";
export const SUPPORTED_LOCALES = ["en", "fr"] as const;

const FORM_FACTOR_OF_PLATFORM: Record<Platform, FormFactor> = { web: "desktop", android: "phone", ios: "phone", tv: "tv" };

export const pageRequestSchema = z.object({
  pageId: z.string().regex(PAGE_ID, `must be ${PAGE_ID_RULE}`),
  platform: z.enum(PLATFORMS, { error: `must be one of ${PLATFORMS.join(", ")}` }),
  clientVersion: z
    .string()
    .refine((value) => semver.valid(value) !== null, "must be a semantic version such as 5.0.0")
    .default(DEFAULT_CLIENT_VERSION),
  locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "must be a language such as en or fr-FR").optional(),
  region: z.string().regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code such as FR").optional(),
  formFactor: z.enum(FORM_FACTORS, { error: `must be one of ${FORM_FACTORS.join(", ")}` }).optional(),
});

export interface PageRequestOptions {
  pageId: string;
  platform: Platform;
  clientVersion: string;
  locale: string;
  region: string;
  formFactor: FormFactor;
}

export interface RawPageRequest {
  pageId?: string;
  platform?: string;
  clientVersion?: string;
  locale?: string;
  region?: string;
  formFactor?: string;
}

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
};

/** The best supported language of an Accept-Language header, or undefined. */
export function localeFromAcceptLanguage(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ranked = value
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.trim().slice(2) ?? 1);
      return { language: tag.toLowerCase().split("-")[0] ?? "", q: Number.isNaN(q) ? 0 : q };
    })
    .sort((a, b) => b.q - a.q);
  return ranked.find((entry) => (SUPPORTED_LOCALES as readonly string[]).includes(entry.language))?.language;
}

/** Empty strings count as absent: a Connect request leaves unset fields empty. */
const present = (value: string | undefined) => (value === "" ? undefined : value);

export function parsePageRequest(raw: RawPageRequest, headers: Headers, regionHeader: string): PageRequestOptions {
  const input: Record<string, string | undefined> = {
    pageId: raw.pageId,
    platform: present(raw.platform) ?? header(headers, "x-tessera-platform"),
    clientVersion: present(raw.clientVersion) ?? header(headers, "x-tessera-client-version"),
    locale: present(raw.locale),
    region: present(raw.region) ?? header(headers, regionHeader)?.toUpperCase(),
    formFactor: present(raw.formFactor),
  };
  const result = pageRequestSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? "request");
    const problem = input[name] === undefined ? "is required" : issue.message;
    throw invalidParameter(name, problem);
  }
  const options = result.data;
  return {
    ...options,
    locale: options.locale ?? localeFromAcceptLanguage(header(headers, "accept-language")) ?? "en",
    region: options.region ?? "",
    formFactor: options.formFactor ?? FORM_FACTOR_OF_PLATFORM[options.platform],
  };
}
