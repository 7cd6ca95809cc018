/**
 * Editorial changes in one process without Redis: a change published at POST /v1/content/changes is
 * served at once, and drops exactly the cached widgets, pages and entities that show its entity.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { inProcessDdsClient, wrapDdsClient } from "../../dds/client.ts";
import { loadCatalog } from "../../dds/catalog/films.ts";
import type { ContentChange, ContentChanges } from "../../dds/content/changes.ts";
import { createMemoryContentChanges } from "../../dds/content/memory-changes.ts";
import { followedOverlay } from "../../dds/content/open-changes.ts";
import { createDdsServices } from "../../dds/services.ts";
import type { BatchGetContentRequest } from "../../protos/gen/tessera/dds/v1/content_pb.js";
import type { Tessera } from "../../compositor/server.ts";
import { decodePage, itemsOf } from "../support/page.ts";
import { devToken, startTessera, TEST_IMAGE_BASE } from "../support/tessera.ts";

const HOME = "/v1/pages/home?platform=web&clientVersion=5.0.0";

let tessera: Tessera;
let changes: ContentChanges;
/** Content ids the DDS was asked for, in order. */
let contentAsked: string[];
/** Widget cache lookups of the last requests: instance type → hit. */
let widgetLookups: Array<{ type: string; hit: boolean }>;

beforeEach(async () => {
  changes = createMemoryContentChanges(loadCatalog());
  const overlay = await followedOverlay(changes);
  const dds = wrapDdsClient(
    inProcessDdsClient(createDdsServices({ imageBaseUrl: TEST_IMAGE_BASE, overlay })),
    (_dds, method, call, request) => {
      if (method === "batchGetContent") contentAsked.push(...(request as BatchGetContentRequest).ids);
      return call();
    },
  );
  contentAsked = [];
  widgetLookups = [];
  tessera = await startTessera({
    dds,
    contentChanges: changes,
    hooks: [{ cacheLookup: ({ layer, type, hit }) => void (layer === "widget" && widgetLookups.push({ type, hit })) }],
  });
});
afterEach(async () => {
  await tessera.app.close();
  await changes.close();
});

async function home(userId?: string) {
  const headers: Record<string, string> = userId ? { authorization: `Bearer ${await devToken({ userId, persona: "p1" })}` } : {};
  const response = await tessera.app.inject({ method: "GET", url: HOME, headers });
  expect(response.statusCode).toBe(200);
  return decodePage(response.rawPayload);
}

const tray = (page: ReturnType<typeof decodePage>, instanceId: string) => itemsOf(page.widgets.find((w) => w.instanceId === instanceId)!);

async function change(body: ContentChange | Record<string, unknown>, roles: Array<"operator" | "viewer"> = ["operator"]) {
  const token = await devToken({ userId: "editor", roles });
  return tessera.app.inject({ method: "POST", url: "/v1/content/changes", payload: body, headers: { authorization: `Bearer ${token}` } });
}

describe("content changes in one process", () => {
  it("serves a new title and removes a taken-down title at once, from warm caches", async () => {
    for (const user of [undefined, "u1", undefined, "u1"]) await home(user);
    const first = tray(await home(), "genre-western")[0]!;

    expect((await change({ kind: "set-title", contentId: first.contentId, title: "A Corrected Title" })).statusCode).toBe(200);
    for (const user of [undefined, "u1"]) expect(tray(await home(user), "genre-western")[0]!.title).toBe("A Corrected Title");

    expect((await change({ kind: "takedown", contentId: first.contentId })).statusCode).toBe(200);
    for (const user of [undefined, "u1"]) {
      const page = await home(user);
      expect(page.widgets.flatMap(itemsOf).map((item) => item.contentId)).not.toContain(first.contentId);
      expect(tray(page, "genre-western")).toHaveLength(20);
    }
  });

  it("drops only what shows the changed entity: other widgets stay cached", async () => {
    await home("u1");
    await home("u1");
    const western = tray(await home("u1"), "genre-western").map((item) => item.contentId);
    const shownElsewhere = new Set(
      (await home("u1")).widgets
        .filter((w) => w.instanceId !== "genre-western")
        .flatMap(itemsOf)
        .map((item) => item.contentId),
    );
    const onlyWestern = western.find((id) => !shownElsewhere.has(id))!;
    widgetLookups = [];
    contentAsked = [];

    await change({ kind: "set-title", contentId: onlyWestern, title: "Retitled" });
    const page = await home("u1");
    expect(tray(page, "genre-western").find((item) => item.contentId === onlyWestern)!.title).toBe("Retitled");
    const misses = widgetLookups.filter((lookup) => !lookup.hit).map((lookup) => lookup.type);
    expect(misses).toEqual(["genre-tray"]);
    expect(widgetLookups.filter((lookup) => lookup.hit).length).toBeGreaterThan(3);
    // The other titles of the tray still come from the shared entity cache.
    expect(contentAsked).toEqual([onlyWestern]);
  });

  it("applies genre list edits", async () => {
    await home();
    const comedy = tray(await home(), "genre-comedy").map((item) => item.contentId);
    await change({ kind: "genre-remove", genre: "Comedy", contentId: comedy[0]! });
    expect(tray(await home(), "genre-comedy").map((item) => item.contentId)).not.toContain(comedy[0]);
  });

  it("refuses a change of unknown content, a bad value, or from a caller without the operator role", async () => {
    const unknown = await change({ kind: "takedown", contentId: "m999999" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: "invalid-parameter", message: expect.stringMatching(/m999999/) });
    expect((await change({ kind: "set-rating", contentId: "m1", imdbRating: 11 })).statusCode).toBe(400);
    expect((await change({ kind: "rename", contentId: "m1" })).statusCode).toBe(400);
    expect((await change({ kind: "takedown", contentId: "m1" }, ["viewer"])).statusCode).toBe(403);
    expect(
      (await tessera.app.inject({ method: "POST", url: "/v1/content/changes", payload: { kind: "takedown", contentId: "m1" } })).statusCode,
    ).toBe(401);
  });
});
