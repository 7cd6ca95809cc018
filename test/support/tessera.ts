/** A Tessera server for tests: the real wiring, in-process DDS over the demo catalog, quiet logs. */
import { binders as shippedBinders } from "../../binders/index.ts";
import { inProcessDdsClient, type DdsClient } from "../../dds/client.ts";
import { createDdsServices } from "../../dds/services.ts";
import { loadConfig } from "../../compositor/config.ts";
import { signToken, DEV_JWT_SECRET, type TokenClaims } from "../../compositor/gateway/auth.ts";
import { buildServer, type ServerParts, type Tessera } from "../../compositor/server.ts";
import type { Binder } from "../../widget-registry/sdk.ts";
import { createStaticLayoutSource, loadLayoutFiles } from "../../compositor/layouts/static-source.ts";
import { SEED_DIR } from "../../layout-service/seed.ts";

export const TEST_IMAGE_BASE = "http://tessera.test/images";

export function testDds(): DdsClient {
  return inProcessDdsClient(createDdsServices({ imageBaseUrl: TEST_IMAGE_BASE }));
}

/**
 * The shipped binders with a generous deadline: tests of composition assert what a page holds, and a
 * loaded CI machine must not turn that into a test of speed. Deadlines are tested with binders of
 * their own (failure-isolation, runtime-limits).
 */
export const binders: readonly Binder[] = shippedBinders.map((binder) => ({ ...binder, deadlineMs: 10_000 }));

/** The parts of a server as `npm start` wires them, with in-process DDS, quiet logs and DDS deadlines as generous as the binders'. */
export function defaultParts(overrides: Partial<ServerParts> = {}): ServerParts {
  return {
    config: { ...loadConfig({ LOG_LEVEL: "silent", DDS_TIMEOUT_MS: "10000" }), logLevel: "silent" },
    binders,
    layouts: createStaticLayoutSource(loadLayoutFiles(SEED_DIR)),
    dds: testDds(),
    imageBaseUrl: TEST_IMAGE_BASE,
    ...overrides,
  };
}

export async function startTessera(overrides: Partial<ServerParts> = {}, options: { http2?: boolean } = {}): Promise<Tessera> {
  return buildServer(defaultParts(overrides), options);
}

export function devToken(claims: TokenClaims): Promise<string> {
  return signToken(DEV_JWT_SECRET, claims);
}
