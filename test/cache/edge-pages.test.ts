/**
 * Anonymous pages a CDN can keep: a URL that names the persona gives a public page with s-maxage,
 * RFC 5861 staleness, a strong ETag, surrogate keys and a Vary of only the headers the URL does not
 * stand in for; the same URL gives the same page whatever else the caller sends (device ids, no
 * device id: experiments key an anonymous caller by persona). The same over Connect GET.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFlagClient, type FlagClient } from "../../compositor/experiments/flag-client.ts";
import type { Tessera } from "../../compositor/server.ts";
import { decodePage } from "../support/page.ts";
import { devToken, startTessera } from "../support/tessera.ts";
import { basicLogger } from "@launchdarkly/node-server-sdk";
import { create } from "@bufbuild/protobuf";
import { cacheControl } from "../../compositor/http/cache-headers.ts";
import { MANY_ENTITIES_KEY, SURROGATE_KEYS_MAX_BYTES, surrogateKeys } from "../../compositor/http/surrogate-keys.ts";
import { CacheScope, PageSchema } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { requestContext } from "../support/request-context.ts";

let flags: FlagClient;
let tessera: Tessera;
let baseUrl: string;
beforeAll(async () => {
  flags = await startFlagClient({ logger: basicLogger({ level: "none" }) });
  tessera = await startTessera({ flagsFor: flags.flagsFor });
  baseUrl = await tessera.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await tessera.app.close();
  flags.close();
});

const URL = "/v1/pages/home?platform=web&persona=p3";
const get = (url: string, headers: Record<string, string> = {}) => tessera.app.inject({ url, headers });
const varyOf = (value: unknown) => String(value).toLowerCase().split(/,\s*/);

describe("an anonymous page whose URL names the persona", () => {
  it("is public for shared caches, with s-maxage, stale-while-revalidate, stale-if-error and a strong ETag", async () => {
    const response = await get(URL);
    expect(response.statusCode).toBe(200);
    const cacheControl = String(response.headers["cache-control"]).split(/,\s*/);
    expect(cacheControl).toEqual(expect.arrayContaining(["public", "s-maxage=60", "stale-while-revalidate=30", "stale-if-error=86400"]));
    expect(response.headers.etag).toMatch(/^"[\w-]+"$/);
  });

  it("names in Vary neither X-Device-Id nor the header of any parameter the URL names", async () => {
    const vary = varyOf((await get(URL)).headers.vary);
    expect(vary).not.toContain("x-device-id");
    expect(vary).not.toContain("x-tessera-platform");
    expect(vary).toEqual(expect.arrayContaining(["accept", "authorization", "accept-language"]));
  });

  it("names the page, its layout version, each widget instance and each content entity it shows in xkey", async () => {
    const response = await get(URL);
    const page = decodePage(response.rawPayload);
    const keys = String(response.headers.xkey).split(" ");
    expect(keys).toContain("page:home");
    expect(keys).toContain(`layout:home:${page.layoutVersion}`);
    for (const widget of page.widgets) expect(keys).toContain(`widget:home:${widget.instanceId}`);
    expect(keys.filter((key) => key.startsWith("content:")).length).toBeGreaterThan(10);
    expect(keys.some((key) => key.startsWith("genre:"))).toBe(true);
  });

  it("names a page that shows more entities than a header can hold by MANY_ENTITIES_KEY, which every content change purges", () => {
    const page = create(PageSchema, { pageId: "home", layoutVersion: "3", widgets: [{ instanceId: "hero" }] });
    const few = surrogateKeys(page, ["content:m1", "genre:Science Fiction"]).split(" ");
    expect(few).toEqual(["page:home", "layout:home:3", "widget:home:hero", "content:m1", "genre:Science%20Fiction"]);
    const many = surrogateKeys(
      page,
      Array.from({ length: 2_000 }, (_, i) => `content:m${i}`),
    );
    expect(many.length).toBeLessThanOrEqual(SURROGATE_KEYS_MAX_BYTES);
    expect(many.split(" ")).toEqual(["page:home", "layout:home:3", "widget:home:hero", MANY_ENTITIES_KEY]);
  });

  it("is the same page for every caller of the URL, whatever device id they send or not", async () => {
    const first = await get(URL);
    for (const headers of [
      {} as Record<string, string>,
      { "x-device-id": "device-1" },
      { "x-device-id": "device-2" },
      { "x-device-id": "tv-livingroom" },
    ]) {
      const again = await get(URL, headers);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
    }
  });

  it("is the page of the device whose persona it names (the README's rule), experiments included", async () => {
    const byDevice = await get("/v1/pages/home?platform=web", { "x-device-id": "tv-livingroom", accept: "application/json" });
    const { personaFor } = await import("../../widget-registry/persona.ts");
    const byUrl = await get(`/v1/pages/home?platform=web&persona=${personaFor("tv-livingroom")}`, { accept: "application/json" });
    expect(byUrl.json().experiments).toEqual(byDevice.json().experiments);
    expect(byUrl.headers.etag).toBe(byDevice.headers.etag);
  });

  it("stays private for a signed-in caller, whose token's persona counts", async () => {
    const token = await devToken({ userId: "u42" });
    const response = await get(URL, { authorization: `Bearer ${token}` });
    expect(response.headers["cache-control"]).toMatch(/^private/);
    expect(response.headers.xkey).toBeUndefined();
  });

  it("is never public when degraded (a stale, partial or left-out widget)", () => {
    const page = create(PageSchema, { pageId: "home", cache: { scope: CacheScope.PUBLIC, maxAgeSeconds: 60 } });
    const call = { ctx: requestContext({ userId: "" }), named: new Set(["persona", "platform"] as const) };
    expect(cacheControl(page, call, true, 60)).toBe("private, no-store");
    expect(cacheControl(page, call, false, 60)).toMatch(/^public/);
  });

  it("is kept no longer than until its layout's next schedule boundary", () => {
    const page = create(PageSchema, { pageId: "home", cache: { scope: CacheScope.PUBLIC, maxAgeSeconds: 60 } });
    const call = { ctx: requestContext({ userId: "" }), named: new Set(["persona", "platform"] as const) };
    expect(cacheControl(page, call, false, 60, Date.now() + 12_500)).toMatch(/s-maxage=1[12],/);
    expect(cacheControl(page, call, false, 60, Date.now() - 1_000)).toMatch(/s-maxage=0,/);
    expect(cacheControl(page, call, false, 60, Infinity)).toMatch(/s-maxage=60,/);
  });

  it("is refused (400) with a persona that is not p0 to p7", async () => {
    for (const persona of ["p8", "P3", "x", "p03"]) {
      const response = await get(`/v1/pages/home?platform=web&persona=${persona}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: "invalid-parameter", message: expect.stringContaining("persona") });
    }
  });
});

describe("Connect GET of GetPage", () => {
  const connectGet = (request: Record<string, string>) => {
    const message = encodeURIComponent(JSON.stringify(request));
    return fetch(`${baseUrl}/tessera.page.v1.PageService/GetPage?connect=v1&encoding=json&message=${message}`);
  };

  it("carries the same caching headers, with a Vary that leaves out Accept (its encoding is in its URL)", async () => {
    const response = await connectGet({ pageId: "home", platform: "web", persona: "p3" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/^public, .*s-maxage=60.*stale-if-error=/);
    expect(response.headers.get("etag")).toMatch(/^"[\w-]+\.rpc"$/);
    expect(response.headers.get("xkey")).toContain("page:home");
    const vary = varyOf(response.headers.get("vary"));
    expect(vary).not.toContain("accept");
    expect(vary).not.toContain("x-device-id");
    const again = await connectGet({ pageId: "home", platform: "web", persona: "p3" });
    expect(again.headers.get("etag")).toBe(response.headers.get("etag"));
    expect(await again.text()).toBe(await response.text());
  });

  it("is private without the persona in the message, as the HTTP route is", async () => {
    const response = await connectGet({ pageId: "home", platform: "web" });
    expect(response.headers.get("cache-control")).toBe("private, no-cache");
    expect(response.headers.get("xkey")).toBeNull();
  });
});
