/**
 * What an overloaded server still answers: with every composition slot taken and the queue full,
 * a page the page cache holds whole, health checks, metrics and layout reads flow; whatever needs a
 * slot (a page to compose, over HTTP or Connect; a preview; a layout or user write) is refused at
 * once with 503 `overloaded` and Retry-After.
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmission, type Admission } from "../../compositor/admission/admission.ts";
import { loadConfig } from "../../compositor/config.ts";
import { PageService } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { devToken } from "../support/tessera.ts";

let api: LayoutApi;
let admission: Admission;
beforeAll(async () => {
  // A clock that never moves keeps the limit where it starts: 2 slots, 1 place in the queue.
  admission = createAdmission({ ...loadConfig({}).admission!, maxConcurrency: 2, queueSize: 1, queueTimeoutMs: 60_000 }, () => 0);
  api = await startLayoutApi({ admission });
});
afterAll(async () => {
  admission.close();
  await api.stop();
});

const ANONYMOUS_PAGE = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const bearer = async (userId: string, roles: Array<"operator" | "viewer"> = []) => `Bearer ${await devToken({ userId, roles })}`;

/** Takes every slot and the queue's place; gives them back. */
async function saturate(): Promise<() => void> {
  const held = [await admission.acquire("page"), await admission.acquire("page")];
  const queued = admission.acquire("page");
  return () => {
    held.forEach((slot) => slot.release());
    void queued.then((slot) => slot.release());
  };
}

async function expectOverloaded(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get("retry-after")).toBe("1");
  expect(await response.json()).toEqual({ code: "overloaded", message: expect.stringContaining("overloaded") });
}

describe("an overloaded server", () => {
  it("refuses what needs a composition slot at once, and keeps serving what does not", async () => {
    expect((await fetch(api.baseUrl + ANONYMOUS_PAGE)).status).toBe(200);
    const release = await saturate();
    try {
      const cached = await fetch(api.baseUrl + ANONYMOUS_PAGE);
      expect(cached.status).toBe(200);
      for (const path of ["/healthz", "/readyz", "/metrics"]) expect((await fetch(api.baseUrl + path)).status).toBe(200);
      const operator = await bearer("alice", ["operator"]);
      expect((await fetch(`${api.baseUrl}/v1/layouts/home`, { headers: { authorization: operator } })).status).toBe(200);

      await expectOverloaded(await fetch(api.baseUrl + ANONYMOUS_PAGE.replace("web", "ios")));
      await expectOverloaded(await fetch(api.baseUrl + ANONYMOUS_PAGE, { headers: { authorization: await bearer("u7") } }));
      const json = { "content-type": "application/json" };
      await expectOverloaded(
        await fetch(`${api.baseUrl}/v1/layouts/home/preview`, {
          method: "POST",
          headers: { authorization: operator, ...json },
          body: "{}",
        }),
      );
      const { draft } = (await (await fetch(`${api.baseUrl}/v1/layouts/home`, { headers: { authorization: operator } })).json()) as {
        draft: { layout: unknown; revision: number };
      };
      await expectOverloaded(
        await fetch(`${api.baseUrl}/v1/layouts/home/draft`, {
          method: "PUT",
          headers: { authorization: operator, ...json },
          body: JSON.stringify({ layout: draft.layout, baseRevision: draft.revision }),
        }),
      );
      await expectOverloaded(
        await fetch(`${api.baseUrl}/v1/me/favorites/m12/toggle`, { method: "POST", headers: { authorization: await bearer("u7") } }),
      );

      const pages = createClient(PageService, createConnectTransport({ baseUrl: api.baseUrl, httpVersion: "1.1" }));
      const refused = await pages.getPage({ pageId: "home", platform: "android" }).then(
        () => undefined,
        (error: unknown) => ConnectError.from(error),
      );
      expect([refused?.code, refused?.metadata.get("retry-after")]).toEqual([Code.Unavailable, "1"]);

      const preview = await (await api.client("operator")).previewDraft({ pageId: "home" }).then(
        () => undefined,
        (error: unknown) => ConnectError.from(error),
      );
      expect([preview?.code, preview?.metadata.get("retry-after")]).toEqual([Code.Unavailable, "1"]);

      const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^tessera_admission_in_flight\{class="page"\} 2$/m);
      expect(metrics).toMatch(/^tessera_admission_shed_total\{class="write",reason="limit"\} 2$/m);
    } finally {
      release();
    }
    expect((await fetch(api.baseUrl + ANONYMOUS_PAGE, { headers: { authorization: await bearer("u7") } })).status).toBe(200);
  });
});
