/**
 * The page request's parameters, validated: the page id, and each request dimension
 * (widget-registry/request-dimensions.ts) from the request first, then from its header, then its
 * default or a value derived from the others.
 */
import { z } from "zod";
import { PAGE_ID, PAGE_ID_RULE } from "../../layout-service/page-id.ts";
import { invalidParameter } from "../../api/errors.ts";
import type { RawParameter } from "./page-parameters.ts";
import {
  DIMENSIONS,
  REQUEST_PARAMETERS,
  type DimensionHeader,
  type RequestDimension,
  type RequestDimensions,
  type RequestParameter,
} from "../../widget-registry/request-dimensions.ts";

const pageIdSchema = z.string().regex(PAGE_ID, `must be ${PAGE_ID_RULE}`);

export type PageRequestOptions = {
  pageId: string;
  /** The parameters the request named itself (a query parameter, a message field), not by a header, a default or a derivation. */
  named: ReadonlySet<RequestParameter>;
} & Pick<RequestDimensions, RequestParameter>;

/**
 * The page request as sent: query parameters, or the fields of a GetPageRequest or StreamPageRequest;
 * `parameters` are the page's own (checked against its layout by page-parameters.ts).
 */
export type RawPageRequest = { pageId?: string; parameters?: readonly RawParameter[] } & { [K in RequestParameter]?: string };

/** A query as a RawPageRequest: the request dimensions by name, every other query parameter a page parameter. */
export function rawPageRequest(pageId: string, query: Record<string, string | string[] | undefined>): RawPageRequest {
  const raw: Record<string, unknown> = { pageId };
  const parameters: RawParameter[] = [];
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (DIMENSION_PARAMETERS.has(name)) raw[name] = value;
    else parameters.push({ name, value });
  }
  raw.parameters = parameters;
  return raw as RawPageRequest;
}

type Headers = Record<string, string | string[] | undefined>;

const PARAMETERS = REQUEST_PARAMETERS.map((name) => [name, DIMENSIONS[name] as RequestDimension] as const);
const DIMENSION_PARAMETERS = new Set<string>(REQUEST_PARAMETERS);

/** The header name a dimension is read from, as sent in Vary. */
export function headerName(header: DimensionHeader, regionHeader: string): string {
  return header.name === "trusted-region" ? regionHeader : header.name;
}

function headerValue(headers: Headers, header: DimensionHeader, regionHeader: string): string | undefined {
  const raw = headers[headerName(header, regionHeader).toLowerCase()];
  const value = (Array.isArray(raw) ? raw[0] : raw) || undefined;
  return value === undefined || !header.read ? value : header.read(value);
}

/** Empty strings count as absent: a Connect request leaves unset fields empty. */
const present = (value: string | undefined) => (value === "" ? undefined : value);

/** Valid values already parsed, per parameter: requests repeat a few values, and each parse by its schema costs microseconds. */
const PARSED_KEPT_PER_PARAMETER = 256;
const parsedValues = new Map<string, Map<string | undefined, unknown>>();

function parsed(name: string, schema: z.ZodType, value: string | undefined): unknown {
  let kept = parsedValues.get(name);
  if (kept === undefined) parsedValues.set(name, (kept = new Map()));
  if (kept.has(value)) return kept.get(value);
  const result = schema.safeParse(value);
  if (!result.success) throw invalidParameter(name, value === undefined ? "is required" : result.error.issues[0]!.message);
  if (kept.size >= PARSED_KEPT_PER_PARAMETER) kept.clear();
  kept.set(value, result.data);
  return result.data;
}

export function parsePageRequest(raw: RawPageRequest, headers: Headers, regionHeader: string): PageRequestOptions {
  const named = new Set<RequestParameter>();
  const options: Record<string, unknown> = { pageId: parsed("pageId", pageIdSchema, raw.pageId), named };
  for (const [name, dimension] of PARAMETERS) {
    const given = present(raw[name]);
    if (given !== undefined) named.add(name);
    const value = given ?? (dimension.header && headerValue(headers, dimension.header, regionHeader));
    options[name] = parsed(name, dimension.schema, value);
  }
  for (const [name, dimension] of PARAMETERS) {
    if (options[name] === undefined && dimension.derive) options[name] = dimension.derive(options as Record<string, string>);
  }
  return options as PageRequestOptions;
}

/** Every header a request dimension is read from, as named in Vary; but those of the parameters the request named itself. */
export function dimensionHeaders(regionHeader: string, named: ReadonlySet<RequestParameter> = new Set()): string[] {
  return PARAMETERS.flatMap(([name, dimension]) =>
    dimension.header && !named.has(name) ? [headerName(dimension.header, regionHeader)] : [],
  );
}
