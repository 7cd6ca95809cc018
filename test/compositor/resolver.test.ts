import { describe, expect, it } from "vitest";
import { pageLayoutSchema, variantMatchSchema, type PageLayout, type VariantMatch } from "../../layout-service/model.ts";
import { createLayoutResolver } from "../../compositor/layouts/resolver.ts";
import { createWidgetRegistry } from "../../widget-registry/registry.ts";
import { create, defineBinder, z, type Flags, type TemplateVersion } from "../../widget-registry/sdk.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import type { RequestContext } from "../../widget-registry/context.ts";
import { requestContext } from "../support/request-context.ts";

function trayBinder(type: string, templates: TemplateVersion[]) {
  return defineBinder({
    type,
    body: "tray",
    templates,
    configSchema: z.object({ limit: z.number().int().max(50).default(20) }),
    cacheScope: "public",
    fetch: async () => [],
    bind: () => create(TraySchema, {}),
  });
}

const registry = createWidgetRegistry([
  trayBinder("plain", [
    { version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" },
  ]),
  // 1 deprecated (every client), 2 active (web >= 5, android >= 6), 3 retired (web >= 7), 4 experimental (web >= 8).
  trayBinder("versioned", [
    { version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0" }, status: "deprecated" },
    { version: "2", minClientVersion: { web: "5.0.0", android: "6.0.0" }, status: "active" },
    { version: "3", minClientVersion: { web: "7.0.0" }, status: "retired" },
    { version: "4", minClientVersion: { web: "8.0.0" }, status: "experimental" },
  ]),
  trayBinder("web-only", [{ version: "1", minClientVersion: { web: "1.0.0" }, status: "active" }]),
]);

const one = (instanceId: string, extra: Record<string, unknown> = {}) => ({ instanceId, type: "plain", ...extra });

/** Resolves `layout`, published as version 7, for a request. */
function resolverFor(layout: unknown, nowIso = "2026-11-22T12:00:00Z") {
  const published = { layout: pageLayoutSchema.parse(layout) as PageLayout, version: 7 };
  const resolver = createLayoutResolver({ registry, now: () => Date.parse(nowIso) });
  return { resolve: (ctx: RequestContext) => resolver.resolveLayout(published, ctx) };
}

const flags = (values: Record<string, string>): Flags => ({ isOn: () => false, variation: (flag, fallback) => values[flag] ?? fallback });

describe("variant precedence", () => {
  const layout = {
    pageId: "p",
    variants: [
      { id: "any", placements: [one("a")] },
      { id: "web", match: { platforms: ["web"] }, placements: [one("a")] },
      { id: "kids", match: { cohorts: ["kids"] }, placements: [one("a")] },
      { id: "web-fr", match: { platforms: ["web"], regions: ["FR"] }, placements: [one("a")] },
      { id: "web-old", match: { platforms: ["web"], clientVersion: "<5.0.0" }, placements: [one("a")] },
      { id: "exp-b", match: { experiment: { flag: "exp", variation: "b" }, platforms: ["web"], regions: ["FR"] }, placements: [one("a")] },
      { id: "winter", match: { schedule: { from: "2026-12-01T00:00:00Z", until: "2027-01-01T00:00:00Z" } }, placements: [one("a")] },
    ],
  };
  const variantOf = async (overrides: Parameters<typeof requestContext>[0], now?: string) =>
    (await resolverFor(layout, now).resolve(requestContext(overrides)))?.variantId;

  it("falls back to the variant without conditions", async () => {
    expect(await variantOf({ platform: "tv" })).toBe("any");
  });
  it("prefers a variant with more matching conditions", async () => {
    expect(await variantOf({ platform: "web" })).toBe("web");
    expect(await variantOf({ platform: "web", region: "FR" })).toBe("web-fr");
    expect(await variantOf({ platform: "web", clientVersion: "4.2.0" })).toBe("web-old");
    expect(await variantOf({ platform: "web", region: "FR", flags: flags({ exp: "b" }) })).toBe("exp-b");
  });
  it("breaks a tie between equally specific variants by layout order", async () => {
    expect(await variantOf({ platform: "web", cohort: "kids" })).toBe("web");
    expect(await variantOf({ platform: "tv", cohort: "kids" })).toBe("kids");
  });
  it("matches a client version range on the client's version", async () => {
    expect(await variantOf({ platform: "web", clientVersion: "5.0.0" })).toBe("web");
    expect(await variantOf({ platform: "web", clientVersion: "4.99.99" })).toBe("web-old");
  });
  it("ignores an experiment variant whose variation the request did not get", async () => {
    expect(await variantOf({ platform: "web", region: "FR", flags: flags({ exp: "a" }) })).toBe("web-fr");
  });
  it("applies a scheduled variant only inside its window [from, until)", async () => {
    expect(await variantOf({ platform: "tv" }, "2026-11-30T23:59:59Z")).toBe("any");
    expect(await variantOf({ platform: "tv" }, "2026-12-01T00:00:00Z")).toBe("winter");
    expect(await variantOf({ platform: "tv" }, "2026-12-31T23:59:59Z")).toBe("winter");
    expect(await variantOf({ platform: "tv" }, "2027-01-01T00:00:00Z")).toBe("any");
  });
  it("answers undefined when no variant matches", async () => {
    const narrow = resolverFor({ pageId: "n", variants: [{ id: "web", match: { platforms: ["web"] }, placements: [one("a")] }] });
    expect(await narrow.resolve(requestContext({ platform: "tv" }))).toBeUndefined();
  });
});

describe("placement schedule windows", () => {
  const layout = {
    pageId: "p",
    variants: [
      {
        id: "v",
        placements: [
          one("always"),
          one("promo", { schedule: { from: "2026-11-20T00:00:00Z", until: "2026-11-25T00:00:00Z" } }),
          one("later", { schedule: { from: "2026-12-01T00:00:00Z" } }),
          one("over", { schedule: { until: "2026-11-01T00:00:00Z" } }),
        ],
      },
    ],
  };
  const shown = async (now: string) => (await resolverFor(layout, now).resolve(requestContext()))!.placements.map((p) => p.instanceId);

  it("drops placements outside their window, by the injected clock", async () => {
    expect(await shown("2026-11-22T12:00:00Z")).toEqual(["always", "promo"]);
    expect(await shown("2026-11-25T00:00:00Z")).toEqual(["always"]);
    expect(await shown("2026-12-01T00:00:00Z")).toEqual(["always", "later"]);
    expect(await shown("2026-10-31T23:59:59Z")).toEqual(["always", "over"]);
  });
});

describe("template choice per client version", () => {
  const layout = {
    pageId: "p",
    variants: [
      {
        id: "v",
        placements: [
          { instanceId: "x", type: "versioned" },
          { instanceId: "w", type: "web-only" },
        ],
      },
    ],
  };
  const resolve = (platform: "web" | "android" | "tv", clientVersion: string) =>
    resolverFor(layout).resolve(requestContext({ platform, clientVersion }));
  const templateOf = async (platform: "web" | "android" | "tv", clientVersion: string) =>
    (await resolve(platform, clientVersion))!.placements.find((p) => p.instanceId === "x")?.templateVersion;

  it("serves a deprecated template to clients too old for a newer one", async () => {
    expect(await templateOf("web", "4.9.0")).toBe("1");
    expect(await templateOf("android", "5.5.0")).toBe("1");
  });
  it("never picks a deprecated template when a newer one fits", async () => {
    expect(await templateOf("web", "5.0.0")).toBe("2");
    expect(await templateOf("android", "6.0.0")).toBe("2");
  });
  it("never serves a retired template, even to clients that render it", async () => {
    expect(await templateOf("web", "7.5.0")).toBe("2");
  });
  it("serves the newest supported template, experimental included", async () => {
    expect(await templateOf("web", "8.0.0")).toBe("4");
  });
  it("serves a pinned version only to clients that render it", async () => {
    const pinned = resolverFor({
      pageId: "p",
      variants: [{ id: "v", placements: [{ instanceId: "x", type: "versioned", templateVersion: "2" }] }],
    });
    expect((await pinned.resolve(requestContext({ clientVersion: "9.0.0" })))!.placements[0]!.templateVersion).toBe("2");
    const old = await pinned.resolve(requestContext({ clientVersion: "4.0.0" }));
    expect(old!.placements).toEqual([]);
    expect(old!.omitted.map((o) => o.reason)).toEqual(["unsupported-client"]);
  });
  it("leaves out a placement the client renders in no version, reported as unsupported-client", async () => {
    const resolved = await resolve("tv", "9.0.0");
    expect(resolved!.placements).toEqual([]);
    expect(resolved!.omitted.map((o) => [o.instanceId, o.reason])).toEqual([
      ["x", "unsupported-client"],
      ["w", "unsupported-client"],
    ]);
  });
});

/** A request as a match condition sees it: its context, and the server's clock. */
interface SampleRequest {
  ctx?: Parameters<typeof requestContext>[0];
  now?: string;
}

/**
 * For each match condition of the layout model: a value of it, a request it admits and one it excludes.
 * A condition added to the model (variantMatchSchema) needs one here; the test below says so.
 */
const MATCH_SAMPLES: { [K in keyof VariantMatch]-?: { condition: VariantMatch[K]; admitted: SampleRequest; excluded: SampleRequest } } = {
  platforms: { condition: ["tv"], admitted: { ctx: { platform: "tv" } }, excluded: { ctx: { platform: "web" } } },
  regions: { condition: ["FR"], admitted: { ctx: { region: "FR" } }, excluded: { ctx: { region: "DE" } } },
  cohorts: { condition: ["kids"], admitted: { ctx: { cohort: "kids" } }, excluded: { ctx: { cohort: "adults" } } },
  clientVersion: { condition: ">=5.0.0", admitted: { ctx: { clientVersion: "5.0.0" } }, excluded: { ctx: { clientVersion: "4.9.9" } } },
  experiment: {
    condition: { flag: "exp", variation: "b" },
    admitted: { ctx: { flags: flags({ exp: "b" }) } },
    excluded: { ctx: { flags: flags({ exp: "a" }) } },
  },
  schedule: {
    condition: { from: "2026-12-01T00:00:00Z", until: "2027-01-01T00:00:00Z" },
    admitted: { now: "2026-12-15T00:00:00Z" },
    excluded: { now: "2026-11-30T23:59:59Z" },
  },
};

describe("every match condition of the layout model is honoured by the resolver", () => {
  // From the model's schema, so that a condition added to it is covered here without an edit to this list.
  const conditions = Object.keys(variantMatchSchema.shape);

  it("the model declares match conditions, and each sample is of one of them", () => {
    expect(conditions.length).toBeGreaterThan(0);
    expect(Object.keys(MATCH_SAMPLES).filter((name) => !conditions.includes(name))).toEqual([]);
  });

  for (const name of conditions) {
    it(`${name}: a variant whose ${name} excludes the request is not chosen, however specific`, async () => {
      const sample = (MATCH_SAMPLES as Record<string, (typeof MATCH_SAMPLES)[keyof VariantMatch] | undefined>)[name];
      expect(
        sample,
        `no sample for the match condition "${name}": add a value, a request it admits and one it excludes to MATCH_SAMPLES`,
      ).toBeDefined();
      // The conditioned variant first: it would win on specificity, and on layout order too.
      const layout = {
        pageId: "p",
        variants: [
          { id: "conditioned", match: { [name]: sample!.condition }, placements: [one("a")] },
          { id: "fallback", placements: [one("a")] },
        ],
      };
      const variantFor = async (request: SampleRequest) =>
        (await resolverFor(layout, request.now).resolve(requestContext(request.ctx)))?.variantId;
      // The sample admits its request, so what tells the two apart is the condition alone.
      expect(await variantFor(sample!.admitted), `${name} admits its sample's admitted request`).toBe("conditioned");
      expect(await variantFor(sample!.excluded), `the resolver ignores the match condition "${name}"`).toBe("fallback");
    });
  }
});
