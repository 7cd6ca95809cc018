/**
 * Compact items (README.md, "Compact items"): a client ≥ 6.0.0 gets image paths under the page's
 * image base and no deep links it can derive; an older client gets every URL and deep link as before.
 */
import { clone, equals, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import { PageSchema, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { deepLinkOf } from "../../widget-registry/item-links.ts";
import { allItems, decodePage } from "../support/page.ts";
import { devToken, startTessera, TEST_IMAGE_BASE } from "../support/tessera.ts";

const OLD = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const COMPACT = "/v1/pages/home?platform=web&clientVersion=6.0.0";
const PERSONAS = 8;

let tessera: Tessera;
const tokens: string[] = [];
beforeAll(async () => {
  tessera = await startTessera();
  for (let n = 0; n < PERSONAS; n++) tokens.push(await devToken({ userId: `u${n + 1}`, persona: `p${n}` }));
});
afterAll(() => tessera.app.close());

async function get(url: string, token: string, json = false) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (json) headers.accept = "application/json";
  const response = await tessera.app.inject({ method: "GET", url, headers });
  expect(response.statusCode).toBe(200);
  return response.rawPayload;
}

/** A compact page as an older client gets it: each image's URL from the base and its path, each deep link from the content id. */
function expanded(compact: Page): Page {
  const page = clone(PageSchema, compact);
  for (const item of allItems(page)) {
    if (item.image && item.image.path) {
      item.image.url = page.imageBaseUrl + item.image.path;
      item.image.path = "";
    }
    if (!item.deepLink) item.deepLink = deepLinkOf(item.contentId);
  }
  page.imageBaseUrl = "";
  return page;
}

function withoutPageTokens(page: Page): Page {
  for (const widget of page.widgets) widget.nextPageToken = "";
  return page;
}

describe("compact items", () => {
  it("an old client (5.0.0) gets every image URL and deep link, no path and no image base", async () => {
    const raw = await get(OLD, tokens[0]!);
    const page = decodePage(raw);
    const items = allItems(page);
    expect(items.length).toBeGreaterThan(200);
    expect(page.imageBaseUrl).toBe("");
    for (const item of items) {
      expect(item.image!.url.startsWith(`${TEST_IMAGE_BASE}/${item.contentId}/`)).toBe(true);
      expect(item.image!.path).toBe("");
      expect(item.deepLink).toBe(`tessera://content/${item.contentId}`);
    }
  });

  it("a client ≥ 6.0.0 gets image paths under the page's image base and empty deep links", async () => {
    const page = decodePage(await get(COMPACT, tokens[0]!));
    expect(page.imageBaseUrl).toBe(`${TEST_IMAGE_BASE}/`);
    for (const item of allItems(page)) {
      expect(item.image!.url).toBe("");
      expect(item.image!.path.startsWith(`${item.contentId}/`)).toBe(true);
      expect(item.deepLink).toBe("");
    }
  });

  it("base + path and the derived deep links give back the old client's page exactly, whichever form was cached first", async () => {
    for (const [n, token] of tokens.entries()) {
      // Alternating forms: each must come from its own widget-cache entries.
      const first = n % 2 === 0 ? await get(OLD, token) : undefined;
      const compact = decodePage(await get(COMPACT, token));
      const oldBytes = first ?? (await get(OLD, token));
      // Page tokens are bound to the request, the client version included: they differ.
      const old = withoutPageTokens(decodePage(oldBytes));
      withoutPageTokens(compact);
      expect(equals(PageSchema, expanded(compact), old)).toBe(true);
      expect(Buffer.from(toBinary(PageSchema, expanded(compact)))).toEqual(Buffer.from(toBinary(PageSchema, old)));
      // The old client's bytes hold no new field: as served before compact items existed.
      expect(Buffer.from(await get(OLD, token))).toEqual(Buffer.from(oldBytes));
    }
  });

  it("the compact reference page's protobuf is at most 50 % of its JSON (mean over p0..p7)", async () => {
    let protobuf = 0;
    let json = 0;
    for (const token of tokens) {
      protobuf += (await get(COMPACT, token)).length;
      json += (await get(COMPACT, token, true)).length;
    }
    expect(protobuf / json).toBeLessThanOrEqual(0.5);
  });
});
