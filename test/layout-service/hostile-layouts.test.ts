/** The layout API refuses page ids no store can name, layouts nested too deep, and callers without a token before reading their body. */
import { Code, ConnectError } from "@connectrpc/connect";
import { connect as connectTcp } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAYOUT_MAX_DEPTH } from "../../layout-service/depth.ts";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { devToken } from "../support/tessera.ts";

let api: LayoutApi;
let operator: string;
beforeAll(async () => {
  api = await startLayoutApi();
  operator = `Bearer ${await devToken({ userId: "alice", roles: ["operator"] })}`;
});
afterAll(() => api.stop());

const call = (method: "GET" | "PUT" | "POST", url: string, payload?: unknown) =>
  api.tessera.app.inject({
    method,
    url,
    headers: { authorization: operator },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

/** A JSON object nested `depth` levels deep, the object itself being level 1. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let level = 1; level < depth; level++) value = { nested: value };
  return value;
}

describe("page ids", () => {
  it.each([
    ["GET", "/v1/layouts/home%00/history"],
    ["POST", "/v1/layouts/AAAAAAAAAAAA/validate"],
    ["GET", `/v1/layouts/${"a".repeat(65)}`],
    ["PUT", "/v1/layouts/-home/draft"],
  ] as const)("%s %s → 400 invalid-parameter naming the page id rule", async (method, url) => {
    const response = await call(method, url, method === "GET" ? undefined : { layout: {}, baseRevision: 0 });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: "invalid-parameter", message: expect.stringContaining("pageId") });
  });

  it("an id over 255 characters over Connect → invalid_argument, not a file-system error", async () => {
    const client = await api.client("operator");
    const error = await client.getLayout({ pageId: "a".repeat(300) }).catch((e: unknown) => ConnectError.from(e));
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.InvalidArgument);
  });
});

describe("nesting", () => {
  it("a match.platforms nested 4,000 deep → 400 invalid-layout, before validation recurses", async () => {
    const { draft } = (await call("GET", "/v1/layouts/home")).json();
    const layout = structuredClone(draft.layout);
    layout.variants[0].match = { platforms: JSON.parse("[".repeat(4000) + "]".repeat(4000)) };
    const response = await call("POST", "/v1/layouts/home/validate", { layout });
    expect(response.statusCode).toBe(200);
    expect(response.json().problems).toEqual([{ path: "", message: expect.stringContaining(`deeper than ${LAYOUT_MAX_DEPTH} levels`) }]);
    const saved = await call("PUT", "/v1/layouts/home/draft", { layout, baseRevision: draft.revision });
    expect(saved.statusCode).toBe(400);
    expect(saved.json().code).toBe("invalid-layout");
  });

  it(`a layout ${LAYOUT_MAX_DEPTH} levels deep saves and reads back over Connect; one level deeper is refused`, async () => {
    const { draft } = (await call("GET", "/v1/layouts/home")).json();
    const deepest = structuredClone(draft.layout);
    // layout → variants → variant → placements → placement → config: the config starts at level 6.
    deepest.variants[0].placements[0].config = { slides: 5, extra: nested(LAYOUT_MAX_DEPTH - 6) };
    const saved = await call("PUT", "/v1/layouts/home/draft", { layout: deepest, baseRevision: draft.revision });
    expect(saved.statusCode).toBe(200);
    const client = await api.client("operator");
    const read = await client.getLayout({ pageId: "home" });
    expect(read.draft!.revision).toBe(draft.revision + 1);

    const deeper = structuredClone(deepest);
    deeper.variants[0].placements[0].config = { slides: 5, extra: nested(LAYOUT_MAX_DEPTH - 5) };
    const refused = await call("PUT", "/v1/layouts/home/draft", { layout: deeper, baseRevision: draft.revision + 1 });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe("invalid-layout");
  });
});

describe("authentication before the body", () => {
  /** Sends the headers of a request promising a 1 MB body, and none of the body: the answer can only come before reading it. */
  function headersOnly(path: string, contentType: string): Promise<string> {
    const { port } = new URL(api.baseUrl);
    const socket = connectTcp(Number(port), "127.0.0.1");
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${contentType}\r\nContent-Length: 1000000\r\n\r\n`);
    return new Promise((resolve) => {
      socket.once("data", (chunk) => {
        resolve(chunk.toString());
        socket.destroy();
      });
    });
  }

  it("the layout JSON API answers 401 to a caller without a token before reading the body", async () => {
    const answer = await headersOnly("/v1/layouts/home/validate", "application/json");
    expect(answer).toMatch(/^HTTP\/1.1 401/);
    expect(answer).toContain('"code":"unauthenticated"');
  });

  it("a LayoutService RPC answers unauthenticated to a caller without a token before reading the body", async () => {
    const answer = await headersOnly("/tessera.layout.v1.LayoutService/ValidateDraft", "application/json");
    expect(answer).toMatch(/^HTTP\/1.1 401/);
    expect(answer).toContain('"code":"unauthenticated"');
  });
});
