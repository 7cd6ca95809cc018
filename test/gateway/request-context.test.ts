import { basicLogger, integrations } from "@launchdarkly/node-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";
import { startFlagClient } from "../../compositor/experiments/flag-client.ts";
import { ldContextOf } from "../../compositor/experiments/ld-context.ts";
import type { Tessera } from "../../compositor/server.ts";
import { NO_FLAGS, type RequestContext } from "../../widget-registry/context.ts";
import { personaFor } from "../../widget-registry/persona.ts";
import {
  DIMENSIONS,
  DIMENSION_NAMES,
  REQUEST_PARAMETERS,
  type RequestDimension,
  type RequestParameter,
  type TokenDimension,
} from "../../widget-registry/request-dimensions.ts";
import { requestContext } from "../support/request-context.ts";
import { devToken, startTessera } from "../support/tessera.ts";

/** [parameter, header as Vary names it] of every request parameter read from a header, by the table; the trusted region header is CloudFront's by default. */
const HEADER_DIMENSIONS = REQUEST_PARAMETERS.flatMap((name) => {
  const header = (DIMENSIONS[name] as RequestDimension).header;
  if (!header) return [];
  return [[name, (header.name === "trusted-region" ? "cloudfront-viewer-country" : header.name).toLowerCase()] as const];
});

/** A valid value of a parameter for a URL, where its table example is empty (the default). */
const URL_VALUES: Partial<Record<RequestParameter, string>> = { region: "FR" };

/** Serves with a flagsFor that records the context the gateway built for each request. */
async function recordingServer(env: Record<string, string> = {}) {
  const seen: Array<{ ctx: RequestContext }> = [];
  const server = await startTessera({
    config: { ...loadConfig({ LOG_LEVEL: "silent", ...env }), logLevel: "silent" },
    flagsFor: async (ctx) => {
      seen.push({ ctx });
      return NO_FLAGS;
    },
  });
  const contextOf = async (query: string, headers: Record<string, string> = {}) => {
    const response = await server.app.inject({ url: `/v1/pages/home${query}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return seen.at(-1)!;
  };
  return { server, contextOf };
}

describe("context enrichment", () => {
  let server: Tessera;
  let contextOf: Awaited<ReturnType<typeof recordingServer>>["contextOf"];
  beforeAll(async () => {
    ({ server, contextOf } = await recordingServer());
  });
  afterAll(() => server.app.close());

  it("takes platform and client version from the query, else from X-Tessera-Platform and X-Tessera-Client-Version", async () => {
    expect((await contextOf("?platform=ios&clientVersion=4.2.0")).ctx).toMatchObject({
      platform: "ios",
      clientVersion: "4.2.0",
      formFactor: "phone",
    });
    const fromHeaders = await contextOf("", { "x-tessera-platform": "tv", "x-tessera-client-version": "3.1.0" });
    expect(fromHeaders.ctx).toMatchObject({ platform: "tv", clientVersion: "3.1.0", formFactor: "tv" });
    const queryWins = await contextOf("?platform=web&clientVersion=5.0.0", {
      "x-tessera-platform": "tv",
      "x-tessera-client-version": "3.1.0",
    });
    expect(queryWins.ctx).toMatchObject({ platform: "web", clientVersion: "5.0.0" });
    expect((await contextOf("?platform=web")).ctx.clientVersion).toBe("1.0.0");
  });

  it("takes the locale from Accept-Language by preference, falling back to English", async () => {
    expect((await contextOf("?platform=web", { "accept-language": "de-DE, fr-FR;q=0.8, en;q=0.5" })).ctx.locale).toBe("fr");
    expect((await contextOf("?platform=web", { "accept-language": "en;q=0.3, fr;q=0.9" })).ctx.locale).toBe("fr");
    expect((await contextOf("?platform=web", { "accept-language": "de, ja" })).ctx.locale).toBe("en");
    expect((await contextOf("?platform=web")).ctx.locale).toBe("en");
    expect((await contextOf("?platform=web&locale=en", { "accept-language": "fr" })).ctx.locale).toBe("en");
  });

  it("takes the region from the CDN's viewer-country header (CloudFront-Viewer-Country by default)", async () => {
    expect((await contextOf("?platform=web", { "cloudfront-viewer-country": "fr" })).ctx.region).toBe("FR");
    expect((await contextOf("?platform=web")).ctx.region).toBe("");
  });

  it("takes an anonymous caller's persona from the query, else from X-Device-Id by the README's rule, else p0", async () => {
    expect((await contextOf("?platform=web&persona=p3", { "x-device-id": "tv-livingroom" })).ctx).toMatchObject({
      userId: "",
      persona: "p3",
    });
    expect((await contextOf("?platform=web", { "x-device-id": "tv-livingroom" })).ctx.persona).toBe(personaFor("tv-livingroom"));
    expect((await contextOf("?platform=web")).ctx.persona).toBe("p0");
  });

  it("takes a signed-in caller's user, cohort and persona from the token, whatever the query says", async () => {
    const token = await devToken({ userId: "u9", cohort: "kids", persona: "p5" });
    expect((await contextOf("?platform=web&persona=p1", { authorization: `Bearer ${token}` })).ctx).toMatchObject({
      userId: "u9",
      cohort: "kids",
      persona: "p5",
    });
  });

  const varyOf = async (query: string) =>
    String((await server.app.inject({ url: `/v1/pages/home${query}`, headers: { "x-tessera-platform": "web" } })).headers.vary)
      .toLowerCase()
      .split(/,\s*/)
      .sort();

  it("names every header the page depends on in Vary, for shared caches, and none whose parameter the URL names", async () => {
    // Known examples; the table's every header is checked below.
    const unnamed = await varyOf("");
    for (const header of ["accept", "authorization", "accept-language", "x-device-id", "x-tessera-platform", "cloudfront-viewer-country"])
      expect(unnamed).toContain(header);
    const named = await varyOf("?platform=web&persona=p3&locale=fr");
    expect(named).toEqual(unnamed.filter((header) => !["x-tessera-platform", "x-device-id", "accept-language"].includes(header)));
    expect(named).toContain("cloudfront-viewer-country");
  });

  it("Vary holds exactly the representation, the token and the table's dimension headers", async () => {
    expect(await varyOf("")).toEqual(["accept", "authorization", ...HEADER_DIMENSIONS.map(([, header]) => header)].sort());
  });

  for (const [name, header] of HEADER_DIMENSIONS) {
    it(`${name}: its header ${header} is in Vary, unless the URL names ${name}`, async () => {
      expect(await varyOf("")).toContain(header);
      const value = URL_VALUES[name] ?? String(DIMENSIONS[name].example);
      expect(value, `no valid non-empty ${name} for a URL: give one in URL_VALUES`).not.toBe("");
      const named = await varyOf(`?${name}=${encodeURIComponent(value)}`);
      expect(named).not.toContain(header);
      expect(named).toEqual((await varyOf("")).filter((other) => other !== header));
    });
  }

  it("answers 400 naming a bad platform, client version or region header", async () => {
    const bad = async (headers: Record<string, string>, name: string) => {
      const response = await server.app.inject({ url: "/v1/pages/home", headers: { "x-tessera-platform": "web", ...headers } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: "invalid-parameter", message: expect.stringContaining(name) });
    };
    await bad({ "x-tessera-platform": "amiga" }, "platform");
    await bad({ "x-tessera-client-version": "five" }, "clientVersion");
    await bad({ "cloudfront-viewer-country": "France" }, "region");
    const persona = await server.app.inject({ url: "/v1/pages/home?platform=web&persona=p8" });
    expect(persona.statusCode).toBe(400);
    expect(persona.json()).toMatchObject({ code: "invalid-parameter", message: expect.stringContaining("persona") });
  });
});

describe("the trusted region header is configurable", () => {
  it("reads REGION_HEADER and ignores the default header then", async () => {
    const { server, contextOf } = await recordingServer({ REGION_HEADER: "X-Viewer-Country" });
    try {
      expect((await contextOf("?platform=web", { "x-viewer-country": "de" })).ctx.region).toBe("DE");
      expect((await contextOf("?platform=web", { "cloudfront-viewer-country": "FR" })).ctx.region).toBe("");
      const response = await server.app.inject({ url: "/v1/pages/home?platform=web" });
      expect(String(response.headers.vary)).toContain("x-viewer-country");
    } finally {
      await server.app.close();
    }
  });
});

describe("the LaunchDarkly context", () => {
  it("carries the request's user or device key and the attributes rules target", () => {
    const ctx = requestContext({ userId: "u5", cohort: "kids", persona: "p2", platform: "tv", region: "FR", clientVersion: "3.0.0" });
    // Known examples: what the flag rules below target. Every attribute of the table is checked in the next test.
    expect(ldContextOf(ctx)).toMatchObject({
      kind: "user",
      key: "u5",
      anonymous: false,
      cohort: "kids",
      platform: "tv",
      region: "FR",
      clientVersion: "3.0.0",
    });
    // An anonymous caller by their persona only: the same URL, the same variations, the same page.
    expect(ldContextOf(requestContext({ userId: "", persona: "p6" }))).toMatchObject({ key: "persona:p6", anonymous: true });
    expect(ldContextOf(requestContext({ userId: "", requestId: "a" })).key).toBe(
      ldContextOf(requestContext({ userId: "", requestId: "b" })).key,
    );
  });

  it("holds the user key and, under its declared attribute, the value of every dimension the table gives one; nothing else", () => {
    const attributes = DIMENSION_NAMES.flatMap((name) => {
      const attribute = (DIMENSIONS[name] as RequestDimension | TokenDimension).flagAttribute;
      return attribute === undefined ? [] : [[name, attribute] as const];
    });
    // A value of its own per dimension, so that each can only reach the context from its own dimension.
    const values = Object.fromEntries(DIMENSION_NAMES.map((name) => [name, `${name}-value`]));
    const context = ldContextOf(requestContext({ userId: "u5", ...values })) as Record<string, unknown>;
    for (const [name, attribute] of attributes) expect(context[attribute], `${name} under ${attribute}`).toBe(`${name}-value`);
    expect(Object.keys(context).sort()).toEqual(["kind", "key", "anonymous", ...attributes.map(([, attribute]) => attribute)].sort());
  });

  it("lets flag rules target region, platform and client version from the gateway", async () => {
    const td = new integrations.TestData();
    td.update(
      td
        .flag("home-hero")
        .variations("control", "hero-v2")
        .fallthroughVariation(0)
        .ifMatch("user", "region", "FR")
        .andMatch("user", "platform", "android")
        .thenReturn(1),
    );
    const flags = await startFlagClient({ dataSource: td.getFactory(), logger: basicLogger({ level: "none" }) });
    const server = await startTessera({ flagsFor: flags.flagsFor });
    try {
      const variation = async (headers: Record<string, string>) => {
        const response = await server.app.inject({
          url: "/v1/pages/home",
          headers: { accept: "application/json", "x-tessera-client-version": "5.0.0", ...headers },
        });
        return (response.json() as { experiments: Array<{ variation: string }> }).experiments[0]?.variation;
      };
      expect(await variation({ "x-tessera-platform": "android", "cloudfront-viewer-country": "FR" })).toBe("hero-v2");
      expect(await variation({ "x-tessera-platform": "web", "cloudfront-viewer-country": "FR" })).toBe("control");
      expect(await variation({ "x-tessera-platform": "android", "cloudfront-viewer-country": "DE" })).toBe("control");
    } finally {
      await server.app.close();
      flags.close();
    }
  });
});
