import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PageSchema } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { fromJsonString } from "@bufbuild/protobuf";
import { devToken, startTessera } from "../support/tessera.ts";
import { allItems, ddsCallsOf, decodePage } from "../support/page.ts";
import type { Tessera } from "../../compositor/server.ts";

let tessera: Tessera;
beforeAll(async () => {
  tessera = await startTessera();
});
afterAll(() => tessera.app.close());

const get = (url: string, headers: Record<string, string> = {}) => tessera.app.inject({ method: "GET", url, headers });

describe("GET /v1/pages/:pageId", () => {
  it("serves the reference home page to a signed-in user: 14 widgets, about 260 items, 6 DDS calls", async () => {
    const token = await devToken({ userId: "u42", persona: "p3" });
    const response = await get("/v1/pages/home?platform=web&clientVersion=5.0.0&locale=en", { authorization: `Bearer ${token}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("application/x-protobuf");
    const page = decodePage(response.rawPayload);
    expect(page.pageId).toBe("home");
    expect(page.widgets.map((w) => w.type)).toEqual([
      "hero",
      "continue-watching",
      "top-picks",
      ...Array(10).fill("genre-tray"),
      "favorites",
    ]);
    expect(page.errors).toEqual([]);
    const items = allItems(page);
    expect(items.length).toBeGreaterThanOrEqual(240);
    expect(items.length).toBeLessThanOrEqual(270);
    for (const item of items) {
      expect(item.title).not.toBe("");
      expect(item.image?.url).toMatch(/^http:\/\/tessera\.test\/images\/m\d+\/(tile|hero)\/\d+x\d+\.svg$/);
      expect(item.deepLink).toBe(`tessera://content/${item.contentId}`);
    }
    const continueWatching = page.widgets[1]!;
    expect(continueWatching.body.case).toBe("continueWatching");
    const progress = allItems({ ...page, widgets: [continueWatching] }).map((i) => i.progressPercent);
    expect(progress.every((p) => p >= 1 && p <= 99)).toBe(true);
    const ddsCalls = ddsCallsOf(response.headers["server-timing"] as string);
    expect(ddsCalls).toBeLessThanOrEqual(8);
    expect(ddsCalls).toBe(6);
    expect(response.headers["server-timing"]).toMatch(
      /layout;dur=[\d.]+, dds;dur=[\d.]+;desc="6 calls", bind;dur=[\d.]+, total;dur=[\d.]+/,
    );
  });

  it("answers protobuf JSON for Accept: application/json, the same page as the binary", async () => {
    const token = await devToken({ userId: "u42", persona: "p3" });
    const headers = { authorization: `Bearer ${token}` };
    const binary = decodePage((await get("/v1/pages/home?platform=web", headers)).rawPayload);
    const json = await get("/v1/pages/home?platform=web", { ...headers, accept: "application/json" });
    expect(json.headers["content-type"]).toMatch(/^application\/json/);
    const page = fromJsonString(PageSchema, json.body);
    expect(page.widgets.map((w) => w.instanceId)).toEqual(binary.widgets.map((w) => w.instanceId));
    expect(allItems(page).length).toBe(allItems(binary).length);
  });

  it("shows the kids cohort only G and PG titles, in every widget", async () => {
    const token = await devToken({ userId: "u7", cohort: "kids" });
    const page = decodePage(
      (await get("/v1/pages/home?platform=web&clientVersion=5.0.0", { authorization: `Bearer ${token}` })).rawPayload,
    );
    const ratings = new Set(allItems(page).map((item) => item.ageRating));
    expect(allItems(page).length).toBeGreaterThan(50);
    expect([...ratings].sort()).toEqual(["G", "PG"]);
  });

  it("serves anonymous callers without user widgets and with a persona by device id", async () => {
    const response = await get("/v1/pages/home?platform=web", { "x-device-id": "device-1" });
    expect(response.statusCode).toBe(200);
    const page = decodePage(response.rawPayload);
    expect(page.widgets.map((w) => w.type)).not.toContain("continue-watching");
    expect(page.errors.map((e) => [e.instanceId, e.reason])).toEqual([
      ["continue-watching", "empty"],
      ["favorites", "empty"],
    ]);
  });

  it("localizes tray titles from the binders' catalogs", async () => {
    const french = decodePage((await get("/v1/pages/home?platform=web&locale=fr")).rawPayload);
    const english = decodePage((await get("/v1/pages/home?platform=web", { "accept-language": "de, en;q=0.5" })).rawPayload);
    const titleOf = (page: typeof french, id: string) => {
      const body = page.widgets.find((w) => w.instanceId === id)!.body;
      return body.case === "tray" ? body.value.title : undefined;
    };
    expect(titleOf(french, "top-picks")).toBe("Nos meilleurs choix pour vous");
    expect(titleOf(french, "genre-documentary")).toBe("Documentaires");
    expect(titleOf(english, "top-picks")).toBe("Top picks for you");
    expect(titleOf(english, "genre-documentary")).toBe("Documentaries");
  });

  it("sizes images for the form factor", async () => {
    const tv = decodePage((await get("/v1/pages/home?platform=tv&clientVersion=5.0.0")).rawPayload);
    const phone = decodePage((await get("/v1/pages/home?platform=android&clientVersion=5.0.0")).rawPayload);
    const tile = (page: typeof tv) => allItems(page).find((item) => item.image?.url.includes("/tile/"))!.image!;
    expect([tile(tv).width, tile(tv).height]).toEqual([960, 540]);
    expect([tile(phone).width, tile(phone).height]).toEqual([320, 180]);
  });
});

describe("request errors", () => {
  it.each([
    ["/v1/pages/home", "platform: is required"],
    ["/v1/pages/home?platform=watch", "platform: must be one of web, android, ios, tv"],
    ["/v1/pages/home?platform=web&clientVersion=five", "clientVersion: must be a semantic version"],
    ["/v1/pages/home?platform=web&locale=english", "locale: must be a language"],
    ["/v1/pages/home?platform=web&region=France", "region: must be an ISO 3166-1 alpha-2 code"],
    ["/v1/pages/home?platform=web&formFactor=watch", "formFactor: must be one of"],
    ["/v1/pages/Home!?platform=web", "pageId: must be lowercase"],
  ])("GET %s → 400 naming the parameter", async (url, message) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: "invalid-parameter", message: expect.stringContaining(message) });
  });

  it("answers 404 with a code for an unknown page", async () => {
    const response = await get("/v1/pages/nowhere?platform=web");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: "not-found", message: 'page "nowhere" does not exist' });
  });

  it("answers 404 with a code for an unknown route", async () => {
    const response = await get("/v2/everything");
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe("not-found");
  });

  it.each([
    ["a malformed token", async () => "Bearer not-a-jwt", "malformed"],
    ["an expired token", async () => `Bearer ${await devToken({ userId: "u1", expiresIn: "-1m" })}`, "expired"],
    [
      "a token signed with another secret",
      async () => {
        const { signToken } = await import("../../compositor/gateway/auth.ts");
        return `Bearer ${await signToken("another-secret", { userId: "u1" })}`;
      },
      "signature",
    ],
    ["a header that is not a bearer token", async () => "Basic dTE6cHc=", "Bearer"],
  ])("answers 401 for %s", async (_name, authorization, message) => {
    const response = await get("/v1/pages/home?platform=web", { authorization: await authorization() });
    expect(response.statusCode).toBe(401);
    const body = response.json();
    expect(body.code).toBe("unauthenticated");
    expect(body.message).toContain(message);
    expect(response.body).not.toMatch(/\bat .*\.ts:\d+/);
  });
});

describe("operations", () => {
  it("reports health, readiness and composition metrics", async () => {
    await get("/v1/pages/home?platform=web");
    expect((await get("/healthz")).json()).toEqual({ status: "ok" });
    expect((await get("/readyz")).statusCode).toBe(200);
    const metrics = (await get("/metrics")).body;
    expect(metrics).toMatch(/tessera_page_duration_seconds_count\{page="home"\} [1-9]/);
    expect(metrics).toMatch(/tessera_widget_duration_seconds_count\{type="genre-tray"\} [1-9]/);
    expect(metrics).toMatch(/tessera_dds_calls_total\{dds="content",method="batchGetContent",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/tessera_dds_batch_size_count\{dds="reco",method="batchGetTopPicks"\} [1-9]/);
    expect(metrics).toContain("tessera_widget_errors_total");
  });

  it("counts page requests by outcome, with no series for a page that does not exist", async () => {
    await get("/v1/pages/home?platform=web");
    await get("/v1/pages/no-such-page-42?platform=web");
    const metrics = (await get("/metrics")).body;
    expect(metrics).toMatch(/tessera_pages_total\{page="home",outcome="ok"\} [1-9]/);
    expect(metrics).toMatch(/tessera_pages_total\{page="",outcome="not_found"\} [1-9]/);
    expect(metrics).not.toContain("no-such-page-42");
  });

  it("echoes a given request id, and makes one otherwise", async () => {
    expect((await get("/healthz", { "x-request-id": "abc-123" })).headers["x-request-id"]).toBe("abc-123");
    expect((await get("/healthz")).headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
