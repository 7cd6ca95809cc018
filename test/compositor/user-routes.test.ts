import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wrapDdsClient } from "../../dds/client.ts";
import { devToken, startTessera, testDds } from "../support/tessera.ts";
import { decodePage, itemsOf } from "../support/page.ts";
import type { Tessera } from "../../compositor/server.ts";

let tessera: Tessera;
beforeAll(async () => {
  tessera = await startTessera();
});
afterAll(() => tessera.app.close());

describe("user writes", () => {
  it("records progress and the next page shows the title first in continue watching", async () => {
    const authorization = `Bearer ${await devToken({ userId: "u500" })}`;
    const write = await tessera.app.inject({
      method: "PUT",
      url: "/v1/me/progress/m369",
      headers: { authorization },
      payload: { progressPercent: 42 },
    });
    expect(write.statusCode).toBe(200);
    expect(write.json().entries[0]).toEqual({ contentId: "m369", progressPercent: 42 });
    const page = decodePage(
      (await tessera.app.inject({ method: "GET", url: "/v1/pages/home?platform=web", headers: { authorization } })).rawPayload,
    );
    const first = itemsOf(page.widgets.find((w) => w.type === "continue-watching")!)[0]!;
    expect([first.contentId, first.progressPercent]).toEqual(["m369", 42]);
  });

  it("toggles a favorite", async () => {
    const authorization = `Bearer ${await devToken({ userId: "u501" })}`;
    const on = await tessera.app.inject({ method: "POST", url: "/v1/me/favorites/m12/toggle", headers: { authorization } });
    expect(on.json()).toEqual({ favorite: true });
    const off = await tessera.app.inject({ method: "POST", url: "/v1/me/favorites/m12/toggle", headers: { authorization } });
    expect(off.json()).toEqual({ favorite: false });
  });

  it.each([
    ["no token", { auth: false }, "/v1/me/progress/m1", { progressPercent: 5 }, 401, "unauthenticated"],
    ["a bad content id", { auth: true }, "/v1/me/progress/x1", { progressPercent: 5 }, 400, "invalid-parameter"],
    ["progress out of range", { auth: true }, "/v1/me/progress/m1", { progressPercent: 500 }, 400, "invalid-parameter"],
    ["no body", { auth: true }, "/v1/me/progress/m1", undefined, 400, "invalid-parameter"],
  ])("refuses %s", async (_name, options, url, payload, status, code) => {
    const headers: Record<string, string> =
      "auth" in options && options.auth ? { authorization: `Bearer ${await devToken({ userId: "u502" })}` } : {};
    const response = await tessera.app.inject({ method: "PUT", url, headers, payload });
    expect(response.statusCode).toBe(status);
    expect(response.json().code).toBe(code);
  });
});

describe("user writes while the user DDS fails", () => {
  let failing: Tessera;
  beforeAll(async () => {
    // A remote DDS that refuses connections: its error names an internal address.
    const dds = wrapDdsClient(testDds(), (name, _method, call) =>
      name === "user" ? Promise.reject(new Error("connect ECONNREFUSED 10.1.2.3:8090")) : call(),
    );
    failing = await startTessera({ dds });
  });
  afterAll(() => failing.app.close());

  it.each([
    ["PUT", "/v1/me/progress/m12", { progressPercent: 42 }],
    ["POST", "/v1/me/favorites/m12/toggle", undefined],
  ] as const)("%s %s → 503 data-unavailable with Retry-After, naming no address", async (method, url, payload) => {
    const headers = { authorization: `Bearer ${await devToken({ userId: "u503" })}` };
    const response = await failing.app.inject({ method, url, headers, payload });
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toBe("1");
    expect(response.json()).toEqual({ code: "data-unavailable", message: "display data unavailable: user (error); try again" });
  });
});
