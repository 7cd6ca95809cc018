/**
 * The request dimensions table (widget-registry/request-dimensions.ts) and what derives from it: a
 * dimension that can change a widget's output is in every key of that output, the request messages
 * carry each dimension a request may set, and the context, Vary, the flag context and the test
 * contexts hold every dimension.
 */
import { describe, expect, it } from "vitest";
import { AudienceSchema } from "../../protos/gen/tessera/dds/v1/audience_pb.js";
import { PreviewDraftRequestSchema } from "../../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { GetPageRequestSchema, GetWidgetRequestSchema, StreamPageRequestSchema } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { pageKey } from "../../compositor/cache/page-key.ts";
import { requestKey, scopedRequestKey, widgetKey } from "../../compositor/cache/widget-key.ts";
import type { EntityCache } from "../../compositor/cache/entity-cache.ts";
import { createRequestDds } from "../../compositor/dds-facade.ts";
import { requestScope } from "../../compositor/dds-methods.ts";
import { ldContextOf } from "../../compositor/experiments/ld-context.ts";
import { buildRequestContext } from "../../compositor/gateway/request-context.ts";
import { parsePageRequest } from "../../compositor/gateway/request-options.ts";
import { pageVary } from "../../compositor/http/page-routes.ts";
import type { ResolvedPlacement } from "../../compositor/layouts/resolver.ts";
import type { RequestContext } from "../../widget-registry/context.ts";
import {
  DIMENSIONS,
  DEFAULT_CLIENT_VERSION,
  DIMENSION_NAMES,
  KEYED_DIMENSIONS,
  PREVIEW_DIMENSIONS,
  REQUEST_PARAMETERS,
  type DimensionName,
  type RequestDimension,
  type TokenDimension,
} from "../../widget-registry/request-dimensions.ts";
import { demoDds } from "../../widget-registry/testing/dds.ts";
import { testContext } from "../../widget-registry/testing.ts";
import { requestContext } from "../support/request-context.ts";

const spec = (name: DimensionName) => DIMENSIONS[name] as RequestDimension | TokenDimension;
const placement: ResolvedPlacement = {
  position: 0,
  instanceId: "tray",
  type: "genre-tray",
  templateVersion: "2",
  config: { genre: "drama" },
  essential: false,
  deferred: false,
};
const published = { layout: { pageId: "home" }, version: 3 } as Parameters<typeof pageKey>[0];

/** Every key a request's context makes: widget keys of both shared scopes, the page key, the content entity bucket. */
function keysOf(ctx: RequestContext, compact = false) {
  const part = requestKey({ ctx, layout: { pageId: "home", layoutVersion: "3" }, plan: "basic", dataVersion: "d1", compact });
  const buckets: string[] = [];
  const cache = { content: (bucket: string) => (buckets.push(bucket), new Map()), entitlements: () => new Map() } as unknown as EntityCache;
  createRequestDds(demoDds(), ctx, {}, { cache, dataVersion: "d1", fresh: () => true });
  return {
    publicWidget: widgetKey(placement, scopedRequestKey("public", ctx, part)),
    personaWidget: widgetKey(placement, scopedRequestKey("persona", ctx, part)),
    page: pageKey(published, ctx, "d1"),
    content: buckets[0],
  };
}

describe("a dimension that can change output is in every key of that output", () => {
  const base = keysOf(requestContext());
  for (const name of DIMENSION_NAMES) {
    const { output, content } = spec(name);
    it(`${name} (${output}${content ? ", content" : ""})`, () => {
      const varied = keysOf(requestContext({ [name]: `${requestContext()[name]}-other` }));
      expect(varied.page).not.toBe(base.page);
      if (output === "widget") expect(varied.publicWidget).not.toBe(base.publicWidget);
      else expect(varied.publicWidget).toBe(base.publicWidget);
      if (output === "template") expect(varied.personaWidget).toBe(base.personaWidget);
      else expect(varied.personaWidget).not.toBe(base.personaWidget);
      if (content) expect(varied.content).not.toBe(base.content);
      else expect(varied.content).toBe(base.content);
    });
  }

  it("the item form (compact or full, from the client version) is in both widget keys", () => {
    const compact = keysOf(requestContext(), true);
    expect(compact.publicWidget).not.toBe(base.publicWidget);
    expect(compact.personaWidget).not.toBe(base.personaWidget);
  });

  it("the content bucket holds everything content requests tell the content DDS (its Audience)", () => {
    expect([...KEYED_DIMENSIONS.content].sort()).toEqual(AudienceSchema.fields.map((field) => field.localName).sort());
  });

  it("content requests carry each of those dimensions with the request's value", () => {
    const ctx = testContext({ cohort: "kids", formFactor: "tv", locale: "fr", region: "FR" });
    const { audience } = requestScope(ctx);
    expect(Object.keys(audience).sort()).toEqual([...KEYED_DIMENSIONS.content].sort());
    for (const name of KEYED_DIMENSIONS.content) expect(audience[name as keyof typeof audience]).toBe(ctx[name]);
  });
});

describe("the request messages carry every dimension a request may set", () => {
  const fieldsOf = (schema: typeof GetPageRequestSchema | typeof StreamPageRequestSchema | typeof GetWidgetRequestSchema) =>
    Object.fromEntries(schema.fields.map((field) => [field.localName, field.number]));

  it("GetPageRequest and StreamPageRequest: the page id, each request parameter and the page's parameters, at the same numbers", () => {
    expect(Object.keys(fieldsOf(GetPageRequestSchema)).sort()).toEqual(["pageId", "parameters", ...REQUEST_PARAMETERS].sort());
    expect(fieldsOf(StreamPageRequestSchema)).toEqual(fieldsOf(GetPageRequestSchema));
  });

  it("GetWidgetRequest: the page's request (each request parameter included) at GetPageRequest's numbers, plus the placement and page token", () => {
    const { instanceId, pageToken, ...pageRequest } = fieldsOf(GetWidgetRequestSchema);
    for (const name of REQUEST_PARAMETERS)
      expect(pageRequest, `GetWidgetRequest has no field for the dimension ${name}`).toHaveProperty(name);
    expect(Object.keys(pageRequest).sort()).toEqual(["pageId", "parameters", ...REQUEST_PARAMETERS].sort());
    expect(pageRequest).toEqual(fieldsOf(GetPageRequestSchema));
    expect([instanceId, pageToken]).toEqual([expect.any(Number), expect.any(Number)]);
  });

  it("PreviewDraftRequest: each dimension a preview may set", () => {
    const fields = PreviewDraftRequestSchema.fields.map((field) => field.localName);
    for (const name of PREVIEW_DIMENSIONS) expect(fields).toContain(name);
  });
});

describe("what holds every dimension", () => {
  const ctx = buildRequestContext(
    "r1",
    { userId: "u1", cohort: "kids", persona: "p4" },
    parsePageRequest({ pageId: "home", platform: "tv" }, {}, "cloudfront-viewer-country"),
    requestContext().flags,
  );

  it("the gateway's context and both test contexts", () => {
    const expected = ["requestId", "userId", "flags", "params", ...DIMENSION_NAMES].sort();
    expect(Object.keys(ctx).sort()).toEqual(expected);
    expect(Object.keys(requestContext()).sort()).toEqual(expected);
    expect(Object.keys(testContext()).sort()).toEqual(expected);
  });

  it("the LaunchDarkly context, under each dimension's attribute", () => {
    const context = ldContextOf(ctx) as Record<string, unknown>;
    for (const name of DIMENSION_NAMES) {
      const attribute = spec(name).flagAttribute;
      if (attribute) expect(context[attribute]).toBe(ctx[name]);
    }
  });

  it("Vary, with each header a dimension is read from", () => {
    const vary = pageVary("cloudfront-viewer-country").split(", ");
    for (const name of REQUEST_PARAMETERS) {
      const header = (DIMENSIONS[name] as RequestDimension).header;
      if (header) expect(vary).toContain(header.name === "trusted-region" ? "cloudfront-viewer-country" : header.name);
    }
  });
});

describe("values parsed before", () => {
  const parse = (raw: Record<string, string>) =>
    parsePageRequest({ pageId: "home", platform: "web", ...raw }, {}, "cloudfront-viewer-country");

  it("are answered the same, and an invalid value is refused every time, past the bound of kept values", () => {
    expect(parse({ clientVersion: "5.0.0" }).clientVersion).toBe("5.0.0");
    for (let patch = 0; patch < 600; patch++) expect(parse({ clientVersion: `5.0.${patch}` }).clientVersion).toBe(`5.0.${patch}`);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(() => parse({ clientVersion: "five" })).toThrow(/clientVersion: must be a semantic version/);
      expect(() => parse({ platform: "toaster" })).toThrow(/platform: must be one of/);
    }
    expect(parse({ clientVersion: "5.0.0" }).clientVersion).toBe("5.0.0");
    expect(parse({}).clientVersion).toBe(DEFAULT_CLIENT_VERSION);
  });
});
