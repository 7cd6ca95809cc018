/** Every error of the page and layout APIs leaves through the one mapping: an unknown error is a bare `internal`, on HTTP and Connect. */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import { createFileStore } from "../../layout-service/file-store.ts";
import { LayoutService } from "../../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { PageService } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { devToken, startTessera } from "../support/tessera.ts";

const SECRET = "flag service exploded at /srv/secret/path";

describe("an unknown error", () => {
  let server: Tessera;
  let baseUrl: string;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "tessera-errors-"));
    const store = await createFileStore(dataDir);
    server = await startTessera({
      flagsFor: async () => {
        throw new Error(SECRET);
      },
      layoutStore: { ...store, pageIds: async () => Promise.reject(new Error(SECRET)) },
    });
    baseUrl = await server.app.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(async () => {
    await server.app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const operator = async () => ({ authorization: `Bearer ${await devToken({ userId: "alice", roles: ["operator"] })}` });

  it.each([
    ["the page route", "/v1/pages/home?platform=web", false],
    ["the layout API", "/v1/layouts", true],
  ])("is a 500 internal without its message or stack on %s", async (_api, url, signedIn) => {
    const response = await server.app.inject({ url, headers: signedIn ? await operator() : {} });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ code: "internal", message: "internal error; the request id is in the logs" });
  });

  it("is Code.Internal without its message on the Connect PageService (unary and streaming) and LayoutService", async () => {
    const transport = createConnectTransport({ baseUrl, httpVersion: "1.1" });
    const drain = async (stream: AsyncIterable<unknown>) => {
      for await (const _event of stream);
    };
    const errors = [
      await createClient(PageService, transport)
        .getPage({ pageId: "home", platform: "web" })
        .catch((e: unknown) => e),
      await drain(createClient(PageService, transport).streamPage({ pageId: "home", platform: "web" })).catch((e: unknown) => e),
      await createClient(LayoutService, transport)
        .listPages({}, { headers: await operator() })
        .catch((e: unknown) => e),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnectError);
      expect((error as ConnectError).code).toBe(Code.Internal);
      expect((error as ConnectError).rawMessage).toBe("internal error");
    }
  });
});
