import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";
import { DEV_JWT_SECRET, TOKEN_AUDIENCE, TOKEN_ISSUER } from "../../compositor/gateway/auth.ts";
import type { Tessera } from "../../compositor/server.ts";
import { startTessera } from "../support/tessera.ts";

interface Claims {
  sub?: string;
  iss?: string;
  aud?: string;
  /** null: no expiry at all. */
  exp?: number | string | null;
  nbf?: number | string;
}

const now = () => Math.floor(Date.now() / 1000);

function sign(key: CryptoKey | Uint8Array, alg: string, claims: Claims = {}, kid?: string): Promise<string> {
  const jwt = new SignJWT({})
    .setProtectedHeader(kid ? { alg, kid } : { alg })
    .setSubject(claims.sub ?? "u7")
    .setIssuer(claims.iss ?? TOKEN_ISSUER)
    .setAudience(claims.aud ?? TOKEN_AUDIENCE)
    .setIssuedAt();
  if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? "1h");
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(key);
}

const page = (server: Tessera, token?: string) =>
  server.app.inject({
    url: "/v1/pages/home?platform=web&clientVersion=5.0.0",
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });

const tempDir = mkdtempSync(join(tmpdir(), "tessera-jwt-"));
const productionConfig = (env: Record<string, string>) => ({
  ...loadConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", PAGE_TOKEN_SECRET: "test-page-tokens", ...env }),
  logLevel: "silent",
});

/** The same refusals for every way of signing: each is a 401 with a message naming the problem. */
function refusals(
  name: string,
  setup: () => { server: () => Tessera; good: (claims?: Claims) => Promise<string>; forged: () => Promise<string> },
) {
  describe(name, () => {
    const { server, good, forged } = setup();

    it("serves a valid token's user", async () => {
      const response = await page(server(), await good());
      expect(response.statusCode, response.body).toBe(200);
    });

    it.each([
      ["an expired token", { exp: now() - 60 }, /expired/],
      ["a token not yet valid", { nbf: now() + 600 }, /"nbf"/],
      ["a token for another audience", { aud: "another-api" }, /"aud"/],
      ["a token from another issuer", { iss: "https://evil.example" }, /"iss"/],
      ["a token that never expires", { exp: null }, /"exp"/],
    ])("refuses %s with 401", async (_case, claims, message) => {
      const response = await page(server(), await good(claims));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: "unauthenticated", message: expect.stringMatching(message) });
    });

    it("refuses a token with a bad signature with 401", async () => {
      const response = await page(server(), await forged());
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe("unauthenticated");
    });

    it("refuses a tampered token (its payload changed after signing) with 401", async () => {
      const [header, , signature] = (await good()).split(".");
      const payload = Buffer.from(JSON.stringify({ sub: "u1", iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now() + 3600 })).toString(
        "base64url",
      );
      const response = await page(server(), `${header}.${payload}.${signature}`);
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toMatch(/signature/);
    });

    it("refuses an unsigned token (alg none) with 401", async () => {
      const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
      const payload = Buffer.from(JSON.stringify({ sub: "u1", iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, exp: now() + 3600 })).toString(
        "base64url",
      );
      const response = await page(server(), `${header}.${payload}.`);
      expect(response.statusCode).toBe(401);
    });
  });
}

refusals("HS256 with the development secret", () => {
  let server: Tessera;
  beforeAll(async () => {
    server = await startTessera();
  });
  afterAll(() => server.app.close());
  const secret = new TextEncoder().encode(DEV_JWT_SECRET);
  return {
    server: () => server,
    good: (claims) => sign(secret, "HS256", claims),
    forged: () => sign(new TextEncoder().encode("not-the-secret"), "HS256"),
  };
});

refusals("RS256 with a PEM public key file (production)", () => {
  let server: Tessera;
  let privateKey: CryptoKey;
  let otherKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair("RS256")).privateKey;
    const file = join(tempDir, "rs256.pem");
    writeFileSync(file, await exportSPKI(pair.publicKey));
    server = await startTessera({ config: productionConfig({ JWT_PUBLIC_KEY_FILE: file }) });
  });
  afterAll(() => server.app.close());
  return {
    server: () => server,
    good: (claims) => sign(privateKey, "RS256", claims),
    forged: () => sign(otherKey, "RS256"),
  };
});

describe("ES256 with a JWKS URL (production)", () => {
  let jwks: Server;
  let jwksUrl: string;
  const keys: JWK[] = [];
  let ec: { privateKey: CryptoKey };
  beforeAll(async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    ec = pair;
    keys.push({ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" });
    jwks = createServer((_request, response) => response.setHeader("content-type", "application/json").end(JSON.stringify({ keys })));
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as { port: number }).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => jwks.close(resolve)));

  refusals("ES256 tokens", () => {
    let server: Tessera;
    let otherKey: CryptoKey;
    beforeAll(async () => {
      otherKey = (await generateKeyPair("ES256")).privateKey;
      server = await startTessera({ config: productionConfig({ JWT_JWKS_URL: jwksUrl }) });
    });
    afterAll(() => server.app.close());
    return {
      server: () => server,
      good: (claims) => sign(ec.privateKey, "ES256", claims, "k1"),
      // Names the published key, signed with another: only the signature can tell.
      forged: () => sign(otherKey, "ES256", {}, "k1"),
    };
  });

  it("refuses a token signed with a key the set does not have (401), and HS256 tokens in production (401)", async () => {
    const server = await startTessera({ config: productionConfig({ JWT_JWKS_URL: jwksUrl }) });
    try {
      const unknownKid = await sign((await generateKeyPair("ES256")).privateKey, "ES256", {}, "k2");
      expect((await page(server, unknownKid)).json()).toMatchObject({ code: "unauthenticated", message: expect.stringMatching(/key/) });
      const hs256 = await sign(new TextEncoder().encode(DEV_JWT_SECRET), "HS256");
      const response = await page(server, hs256);
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toMatch(/algorithm/);
      expect((await page(server)).statusCode).toBe(200);
    } finally {
      await server.app.close();
    }
  });

  it("answers 503, not 401, when the key set cannot be fetched", async () => {
    const server = await startTessera({ config: productionConfig({ JWT_JWKS_URL: "http://127.0.0.1:9/jwks.json" }) });
    try {
      const response = await page(server, await sign(ec.privateKey, "ES256", {}, "k1"));
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe("keys-unavailable");
    } finally {
      await server.app.close();
    }
  });
});

describe("the issuer and audience are configurable", () => {
  it("accepts the identity provider's issuer and audience, and refuses Tessera's own then", async () => {
    const secret = "a-production-secret";
    const server = await startTessera({
      config: productionConfig({ JWT_SECRET: secret, JWT_ISSUER: "https://idp.example", JWT_AUDIENCE: "media-app" }),
    });
    try {
      const key = new TextEncoder().encode(secret);
      expect((await page(server, await sign(key, "HS256", { iss: "https://idp.example", aud: "media-app" }))).statusCode).toBe(200);
      expect((await page(server, await sign(key, "HS256"))).statusCode).toBe(401);
    } finally {
      await server.app.close();
    }
  });
});
