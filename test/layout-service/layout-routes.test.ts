import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { devToken } from "../support/tessera.ts";

let api: LayoutApi;
let operator: string;
let viewer: string;
beforeAll(async () => {
  api = await startLayoutApi();
  operator = `Bearer ${await devToken({ userId: "alice", roles: ["operator"] })}`;
  viewer = `Bearer ${await devToken({ userId: "vera", roles: ["viewer"] })}`;
});
afterAll(() => api.stop());

const call = (method: "GET" | "PUT" | "POST", url: string, authorization?: string, payload?: unknown) =>
  api.tessera.app.inject({
    method,
    url,
    headers: authorization ? { authorization } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

describe("layout API over plain JSON", () => {
  it("answers 401 without a token and 403 to a viewer's write, as {code, message}", async () => {
    const anonymous = await call("GET", "/v1/layouts");
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({ code: "unauthenticated", message: expect.any(String) });
    const { draft } = (await call("GET", "/v1/layouts/home", viewer)).json();
    const refused = await call("PUT", "/v1/layouts/home/draft", viewer, { layout: draft.layout, baseRevision: draft.revision });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe("forbidden");
  });

  it("answers 400 with every problem at its path to an invalid draft, and saves nothing", async () => {
    const { draft } = (await call("GET", "/v1/layouts/home", operator)).json();
    draft.layout.variants[0].placements[2].config = { limit: 0 };
    draft.layout.variants[0].match = { platforms: ["fridge"] };
    const response = await call("PUT", "/v1/layouts/home/draft", operator, { layout: draft.layout, baseRevision: draft.revision });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: "invalid-layout", message: expect.stringContaining("problems") });
    expect(
      response
        .json()
        .problems.map((p: { path: string }) => p.path)
        .sort(),
    ).toEqual(["variants[0].match.platforms[0]", "variants[0].placements[2].config.limit"]);
    expect((await call("GET", "/v1/layouts/home", operator)).json().draft.revision).toBe(draft.revision);
  });

  it("answers 409 conflict to a stale write, keeping the write it would have lost", async () => {
    const { draft, published } = (await call("GET", "/v1/layouts/home", operator)).json();
    const first = await call("PUT", "/v1/layouts/home/draft", operator, { layout: draft.layout, baseRevision: draft.revision });
    expect(first.statusCode).toBe(200);
    const layout = structuredClone(draft.layout);
    layout.variants[0].placements.pop();
    const stale = await call("PUT", "/v1/layouts/home/draft", operator, { layout, baseRevision: draft.revision });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toEqual({ code: "conflict", message: expect.stringMatching(/revision/) });
    expect((await call("GET", "/v1/layouts/home", operator)).json().draft.layout).toEqual(draft.layout);

    const publish = await call("POST", "/v1/layouts/home/publish", operator, {
      message: "same again",
      draftRevision: first.json().draft.revision,
      baseVersion: published.version,
    });
    expect(publish.statusCode).toBe(200);
    expect(publish.json().version).toMatchObject({ version: published.version + 1, author: "alice", message: "same again" });
    const late = await call("POST", "/v1/layouts/home/rollback", operator, { toVersion: 1, baseVersion: published.version });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe("conflict");
  });

  it("answers 400 naming the field of a malformed request, 404 for an unknown page", async () => {
    const bad = await call("POST", "/v1/layouts/home/publish", operator, { draftRevision: "two", baseVersion: 1 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ code: "invalid-parameter", message: expect.stringMatching(/^draftRevision/) });
    const missing = await call("GET", "/v1/layouts/nowhere/history", viewer);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe("not-found");
  });

  it("lists widgets with their config JSON Schema and previews a draft", async () => {
    const widgets = (await call("GET", "/v1/widgets", viewer)).json().widgets;
    expect(widgets.find((w: { type: string }) => w.type === "genre-tray").configSchema.properties.genre.enum).toContain("Drama");
    const preview = await call("POST", "/v1/layouts/home/preview", viewer, { platform: "tv", clientVersion: "4.0.0" });
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({ variantId: "tv", page: { pageId: "home", layoutVersion: "draft" } });
  });
});
