import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";
import { TOKEN_AUDIENCE, TOKEN_ISSUER } from "../../compositor/gateway/auth.ts";
import { LayoutService } from "../../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";

describe("roles from the identity provider's tokens (production, RS256)", () => {
  let api: LayoutApi;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    privateKey = pair.privateKey;
    const file = join(mkdtempSync(join(tmpdir(), "tessera-roles-")), "rs256.pem");
    writeFileSync(file, await exportSPKI(pair.publicKey));
    api = await startLayoutApi({
      config: {
        ...loadConfig({ NODE_ENV: "production", JWT_PUBLIC_KEY_FILE: file, PAGE_TOKEN_SECRET: "test-page-tokens" }),
        logLevel: "silent",
      },
    });
  });
  afterAll(() => api.stop());

  const token = (sub: string, roles: string[]) =>
    new SignJWT({ roles })
      .setProtectedHeader({ alg: "RS256" })
      .setSubject(sub)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime("5m")
      .sign(privateKey);

  const layoutClient = (bearer?: string) =>
    createClient(
      LayoutService,
      createConnectTransport({
        baseUrl: api.baseUrl,
        httpVersion: "1.1",
        interceptors: bearer ? [(next) => (request) => (request.header.set("authorization", `Bearer ${bearer}`), next(request))] : [],
      }),
    );

  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "ok",
      (error: unknown) => Code[ConnectError.from(error).code],
    );

  it("lets an operator write, a viewer only read, and neither a token without a role nor no token", async () => {
    const operator = layoutClient(await token("olga", ["operator"]));
    const { draft } = await operator.getLayout({ pageId: "home" });
    const save = (client: ReturnType<typeof layoutClient>) =>
      client.saveDraft({ pageId: "home", layout: draft!.layout, baseRevision: draft!.revision });
    expect(await codeOf(save(operator))).toBe("ok");

    const viewer = layoutClient(await token("vic", ["viewer"]));
    expect(await codeOf(viewer.listPages({}))).toBe("ok");
    expect(await codeOf(save(viewer))).toBe("PermissionDenied");

    expect(await codeOf(layoutClient(await token("nora", [])).listPages({}))).toBe("PermissionDenied");
    expect(await codeOf(layoutClient().listPages({}))).toBe("Unauthenticated");
  });

  it("keeps page reads open to anonymous callers", async () => {
    const response = await fetch(`${api.baseUrl}/v1/pages/home?platform=web`);
    expect(response.status).toBe(200);
  });
});
