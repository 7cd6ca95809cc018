/**
 * The keys bearer tokens are verified with: an HS256 secret (development), and RS256/ES256 public
 * keys (production) from a JWKS URL or a key file (a PEM public key, or a JWKS JSON document).
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey } from "jose";
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";

export interface TokenKeyOptions {
  /** HS256 secret; "" accepts no HS256 token. */
  secret: string;
  /** URL of the identity provider's JSON Web Key Set (RS256/ES256). */
  jwksUrl?: string;
  /** File of a PEM public key (SPKI) or of a JSON Web Key Set (RS256/ES256). */
  publicKeyFile?: string;
}

export interface TokenKeys {
  algorithms: string[];
  getKey: JWTVerifyGetKey;
}

/** The key set could not be had (fetch failed or timed out, or it is invalid): not the caller's fault. */
export class KeysUnavailable extends Error {}

export const ASYMMETRIC_ALGORITHMS = ["RS256", "ES256"];

function publicKeysOf(options: TokenKeyOptions): JWTVerifyGetKey | undefined {
  if (options.jwksUrl) return createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 3_000 });
  if (!options.publicKeyFile) return undefined;
  const text = readFileSync(options.publicKeyFile, "utf8");
  if (text.trimStart().startsWith("{")) return createLocalJWKSet(JSON.parse(text));
  const key = createPublicKey(text);
  return async () => key;
}

/** Throws when a key file cannot be read or parsed: the server must not start without its keys. */
export function loadTokenKeys(options: TokenKeyOptions): TokenKeys {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined;
  const publicKeys = publicKeysOf(options);
  const algorithms = [...(secret ? ["HS256"] : []), ...(publicKeys ? ASYMMETRIC_ALGORITHMS : [])];
  return {
    algorithms,
    // jose refuses any algorithm not listed before it asks for a key.
    async getKey(header, token) {
      if (header.alg === "HS256") return secret!;
      try {
        return await publicKeys!(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new KeysUnavailable(error instanceof Error ? error.message : String(error));
      }
    },
  };
}
