/** A Tessera server over a file layout store in a temporary directory, and LayoutService clients for it. */
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileStore } from "../../layout-service/file-store.ts";
import { createPublishedLayouts, type PublishedLayouts } from "../../compositor/layouts/published-layouts.ts";
import { seedStore } from "../../layout-service/seed.ts";
import type { LayoutStore } from "../../layout-service/store.ts";
import type { ServerParts, Tessera } from "../../compositor/server.ts";
import { LayoutService } from "../../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { devToken, startTessera } from "./tessera.ts";

export interface LayoutApi {
  tessera: Tessera;
  store: LayoutStore;
  layouts: PublishedLayouts;
  baseUrl: string;
  dataDir: string;
  /** A client with a token of `role`, or none. */
  client(role?: "operator" | "viewer", userId?: string): Promise<Client<typeof LayoutService>>;
  stop(): Promise<void>;
}

export async function startLayoutApi(overrides: Partial<ServerParts> = {}): Promise<LayoutApi> {
  const dataDir = await mkdtemp(join(tmpdir(), "tessera-layouts-"));
  const store = overrides.layoutStore ?? (await createFileStore(dataDir));
  await seedStore(store);
  const layouts = await createPublishedLayouts(store);
  const tessera = await startTessera({ layouts, layoutStore: store, ...overrides });
  const baseUrl = await tessera.app.listen({ host: "127.0.0.1", port: 0 });
  return {
    tessera,
    store,
    layouts,
    baseUrl,
    dataDir,
    async client(role, userId = role === "viewer" ? "vera" : "alice") {
      const token = role ? await devToken({ userId, roles: [role] }) : undefined;
      const transport = createConnectTransport({
        baseUrl,
        httpVersion: "1.1",
        interceptors: token ? [(next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request))] : [],
      });
      return createClient(LayoutService, transport);
    },
    async stop() {
      await tessera.app.close();
      layouts.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
