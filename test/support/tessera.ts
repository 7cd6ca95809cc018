/** A Tessera server for tests: the real wiring, in-process DDS over the demo catalog, quiet logs. */
import { binders as shippedBinders } from "../../binders/index.ts";
import { inProcessDdsClient, type DdsClient } from "../../dds/client.ts";
import { createDdsServices } from "../../dds/services.ts";
import { loadConfig } from "../../compositor/config.ts";
import { signToken, DEV_JWT_SECRET, type TokenClaims } from "../../compositor/gateway/auth.ts";
import { buildServer, type ServerParts, type Tessera } from "../../compositor/server.ts";
import { createStaticLayoutSource, loadLayoutFiles, SEED_LAYOUT_DIR } from "../../layout-service/static-source.ts";

export const TEST_IMAGE_BASE = "http://tessera.test/images";

export function testDds(): DdsClient {
  return inProcessDdsClient(createDdsServices({ imageBaseUrl: TEST_IMAGE_BASE }));
}

export async function startTessera(overrides: Partial<ServerParts> = {}): Promise<Tessera> {
  return buildServer({
    config: { ...loadConfig({ LOG_LEVEL: "silent" }), logLevel: "silent" },
    binders: shippedBinders,
    layouts: createStaticLayoutSource(loadLayoutFiles(SEED_LAYOUT_DIR)),
    dds: testDds(),
    ...overrides,
  });
}

export function devToken(claims: TokenClaims): Promise<string> {
  return signToken(DEV_JWT_SECRET, claims);
}
