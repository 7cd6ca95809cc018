import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import { createConnectTransport } from "@connectrpc/connect-node";
import fastify, { type FastifyInstance } from "fastify";
import { remoteDdsClient, wrapDdsClient } from "../../dds/client.ts";
import { ddsRoutes } from "../../dds/routes.ts";
import { createDdsServices } from "../../dds/services.ts";
import { devToken, startTessera, TEST_IMAGE_BASE } from "../support/tessera.ts";
import { allItems, decodePage } from "../support/page.ts";
import type { Tessera } from "../../compositor/server.ts";

let ddsServer: FastifyInstance;
let local: Tessera;
let remote: Tessera;
const remoteCalls: string[] = [];

beforeAll(async () => {
  ddsServer = fastify();
  await ddsServer.register(fastifyConnectPlugin, { routes: ddsRoutes(createDdsServices({ imageBaseUrl: TEST_IMAGE_BASE })) });
  const url = await ddsServer.listen({ host: "127.0.0.1", port: 0 });
  const client = remoteDdsClient(createConnectTransport({ baseUrl: url, httpVersion: "1.1" }));
  remote = await startTessera({
    dds: wrapDdsClient(client, (_dds, method, call) => {
      remoteCalls.push(method);
      return call();
    }),
  });
  local = await startTessera();
});
afterAll(async () => {
  await Promise.all([remote.app.close(), local.app.close(), ddsServer.close()]);
});

describe("DDS as Connect services", () => {
  it("composes the same page through the remote DDS client as in process, with the same 6 calls", async () => {
    const token = await devToken({ userId: "u42", persona: "p3" });
    const get = (tessera: Tessera) =>
      tessera.app.inject({
        method: "GET",
        url: "/v1/pages/home?platform=web&clientVersion=5.0.0",
        headers: { authorization: `Bearer ${token}` },
      });
    const viaNetwork = decodePage((await get(remote)).rawPayload);
    const inProcess = decodePage((await get(local)).rawPayload);
    expect(allItems(viaNetwork).map((i) => i.contentId)).toEqual(allItems(inProcess).map((i) => i.contentId));
    expect(viaNetwork.widgets).toHaveLength(14);
    expect(remoteCalls).toHaveLength(6);
  });
});
