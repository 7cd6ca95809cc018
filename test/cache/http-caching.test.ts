/**
 * HTTP caching of pages: Cache-Control by the page's narrowest widget scope, never public with a
 * user-scoped widget in it; ETags, and 304 on a matching If-None-Match.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaticLayoutSource, loadLayoutFiles } from "../../compositor/layouts/static-source.ts";
import { SEED_DIR } from "../../layout-service/seed.ts";
import { pageLayoutSchema, type PublishedLayout } from "../../layout-service/model.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { create, defineBinder, z } from "../../widget-registry/sdk.ts";
import { decodePage } from "../support/page.ts";
import { binders as shippedBinders, devToken, startTessera } from "../support/tessera.ts";
import type { Tessera } from "../../compositor/server.ts";

/** A user-scoped widget that shows something to anonymous callers too. */
const deviceRecents = defineBinder({
  type: "device-recents",
  body: "tray",
  templates: [{ version: "1", minClientVersion: { web: "1.0.0" }, status: "active" }],
  configSchema: z.object({}),
  cacheScope: "user",
  async fetch(ctx) {
    return ctx.userId || "this device";
  },
  bind(owner) {
    return create(TraySchema, { title: `Recently on ${owner}` });
  },
});

const genre = (genreName: string, n: number) => ({ instanceId: `g${n}`, type: "genre-tray", config: { genre: genreName } });
const layouts = loadLayoutFiles(SEED_DIR);
const add = (pageId: string, placements: unknown[]) => {
  const layout = pageLayoutSchema.parse({ pageId, variants: [{ id: "default", placements }] });
  layouts.set(pageId, { layout, version: 1 } satisfies PublishedLayout);
};
add("genres", [genre("Drama", 1), genre("Comedy", 2)]);
add("mixed", [genre("Drama", 1), { instanceId: "recents", type: "device-recents", config: {} }]);

let tessera: Tessera;
beforeAll(async () => {
  tessera = await startTessera({ binders: [...shippedBinders, deviceRecents], layouts: createStaticLayoutSource(layouts) });
});
afterAll(() => tessera.app.close());

async function get(pageId: string, options: { userId?: string; headers?: Record<string, string> } = {}) {
  const headers = { ...options.headers };
  if (options.userId) headers.authorization = `Bearer ${await devToken({ userId: options.userId })}`;
  return tessera.app.inject({ method: "GET", url: `/v1/pages/${pageId}?platform=web&clientVersion=5.0.0`, headers });
}

const PUBLIC = "public, max-age=0, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400";
const scopeOf = (type: string) => tessera.registry.get(type)!.cacheScope;

describe("Cache-Control by the page's scope", () => {
  it("marks an anonymous page of public widgets public, with s-maxage and an ETag", async () => {
    const response = await get("genres");
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe(PUBLIC);
    expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(decodePage(response.rawPayload).widgets.map((w) => scopeOf(w.type))).toEqual(["public", "public"]);
  });

  it("never marks a page with a user-scoped widget public, even for an anonymous caller", async () => {
    const response = await get("mixed");
    const page = decodePage(response.rawPayload);
    expect(page.widgets.map((w) => w.type)).toEqual(["genre-tray", "device-recents"]);
    expect(response.headers["cache-control"]).toBe("private, no-store");
    expect(response.headers.etag).toBeUndefined();
    // And the page cache does not hand one caller's user-scoped widget to another.
    const again = decodePage((await get("mixed", { userId: "u7" })).rawPayload);
    expect(again.widgets[1]!.body.value).toMatchObject({ title: "Recently on u7" });
  });

  it("keeps the signed-in reference page private and unstored", async () => {
    const response = await get("home", { userId: "u42" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe("private, no-store");
    expect(response.headers.etag).toBeUndefined();
  });

  it("keeps a signed-in caller's page of public widgets private: it carries their entitlement badges", async () => {
    const response = await get("genres", { userId: "u1" });
    expect(response.headers["cache-control"]).toBe("private, no-cache");
  });

  it("marks the anonymous reference page (persona-scoped hero and top picks) private when its URL does not name the persona", async () => {
    const response = await get("home");
    expect(response.headers["cache-control"]).toBe("private, no-cache");
  });

  it("has no user-scoped widget in any response marked public", async () => {
    const responses = await Promise.all([
      get("home"),
      get("home", { userId: "u5" }),
      get("genres"),
      get("genres", { userId: "u5" }),
      get("mixed"),
      get("mixed", { userId: "u5" }),
    ]);
    const publicPages = responses.filter((r) => String(r.headers["cache-control"]).startsWith("public"));
    expect(publicPages.length).toBeGreaterThan(0);
    for (const response of publicPages) {
      for (const widget of decodePage(response.rawPayload).widgets) expect(scopeOf(widget.type)).not.toBe("user");
    }
  });
});

describe("ETag", () => {
  it("answers 304 with no body to a matching If-None-Match, and 200 to another", async () => {
    const first = await get("genres");
    const etag = first.headers.etag as string;
    const notModified = await get("genres", { headers: { "if-none-match": etag } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload).toHaveLength(0);
    expect(notModified.headers.etag).toBe(etag);
    expect(notModified.headers["cache-control"]).toBe(PUBLIC);

    const weakToo = await get("genres", { headers: { "if-none-match": `"other", W/${etag}` } });
    expect(weakToo.statusCode).toBe(304);
    const changed = await get("genres", { headers: { "if-none-match": '"something-else"' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it("gives the JSON representation its own ETag", async () => {
    const binary = await get("home");
    const json = await get("home", { headers: { accept: "application/json" } });
    expect(json.headers.etag).toMatch(/\.json"$/);
    expect(json.headers.etag).not.toBe(binary.headers.etag);
    expect(
      (await get("home", { headers: { accept: "application/json", "if-none-match": binary.headers.etag as string } })).statusCode,
    ).toBe(200);
    expect((await get("home", { headers: { accept: "application/json", "if-none-match": json.headers.etag as string } })).statusCode).toBe(
      304,
    );
  });
});
