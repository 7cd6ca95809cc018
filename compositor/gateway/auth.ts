/**
 * Bearer tokens: JWTs, HS256 with the configured secret in development, RS256/ES256 with the
 * identity provider's public keys in production. A request without a token is anonymous; a
 * request with a bad, expired, not-yet-valid token, or one for another audience or issuer, is
 * refused (401).
 */
import { errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { ApiError, keysUnavailable, unauthenticated } from "../../api/errors.ts";
import { personaFor } from "../../widget-registry/persona.ts";
import { KeysUnavailable, loadTokenKeys, type TokenKeyOptions } from "./token-keys.ts";

export const DEV_JWT_SECRET = "tessera-development-secret-do-not-use-in-production";
export const TOKEN_ISSUER = "tessera";
export const TOKEN_AUDIENCE = "tessera-api";
export const ROLES = ["operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export interface Identity {
  /** "" when anonymous. */
  userId: string;
  cohort: string;
  persona: string;
  roles: Role[];
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  cohort: z.string().optional(),
  persona: z
    .string()
    .regex(/^p\d+$/)
    .optional(),
  roles: z.array(z.enum(ROLES)).optional(),
});

export interface TokenVerifier {
  identify(authorization: string | undefined): Promise<Identity>;
}

export interface VerifierOptions extends TokenKeyOptions {
  issuer?: string;
  audience?: string;
}

/** Verifies with `options`, or with an HS256 secret only when given a string. */
export function createTokenVerifier(options: string | VerifierOptions): TokenVerifier {
  const { issuer = TOKEN_ISSUER, audience = TOKEN_AUDIENCE, ...keyOptions } = typeof options === "string" ? { secret: options } : options;
  const { algorithms, getKey } = loadTokenKeys(keyOptions);
  // Clients repeat their token on every request, and verifying one is a thread-pool job (bench/README.md).
  const verified = new LRUCache<string, Identity>({ max: 10_000, ttl: VERIFIED_TTL_MS });
  return {
    async identify(authorization) {
      // An anonymous caller's persona is a request parameter (widget-registry/request-dimensions.ts).
      if (!authorization) return { userId: "", cohort: "", persona: "", roles: [] };
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) throw unauthenticated('Authorization must be "Bearer <token>"');
      const token = match[1]!;
      const known = verified.get(token);
      if (known) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms,
          issuer,
          audience,
          requiredClaims: ["exp"],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        }));
      } catch (error) {
        throw refusal(error);
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw unauthenticated(`token claims are invalid: ${claims.error.issues[0]!.path.join(".")}`);
      const { sub, cohort = "", persona, roles = [] } = claims.data;
      const identity: Identity = { userId: sub, cohort, persona: persona ?? personaFor(sub), roles };
      const ttl = Math.floor(Math.min(VERIFIED_TTL_MS, payload.exp! * 1000 - Date.now()));
      if (ttl >= 1) verified.set(token, identity, { ttl });
      return identity;
    },
  };
}

/** How long a verified token is believed without checking again (never past its expiry): a key withdrawn from the JWKS takes this long to take effect. */
const VERIFIED_TTL_MS = 30_000;

/** Clock skew between the token's issuer and this server that is forgiven. */
const CLOCK_TOLERANCE_SECONDS = 5;

/** Why a token is refused (401); a key set that cannot be had is our problem, not the caller's (503). */
function refusal(error: unknown): ApiError {
  if (error instanceof KeysUnavailable) return keysUnavailable();
  return unauthenticated(describeJwtError(error));
}

function describeJwtError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is invalid: ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "token signature is invalid";
  if (error instanceof errors.JOSEAlgNotAllowed) return "token is signed with an algorithm this server does not accept";
  if (error instanceof errors.JWKSNoMatchingKey) return "token is signed with a key this server does not know";
  return "token is malformed or not signed as expected";
}

export interface TokenClaims {
  userId: string;
  cohort?: string;
  persona?: string;
  roles?: Role[];
  expiresIn?: string;
}

export async function signToken(secret: string, claims: TokenClaims): Promise<string> {
  const payload: Record<string, unknown> = {};
  if (claims.cohort) payload.cohort = claims.cohort;
  if (claims.persona) payload.persona = claims.persona;
  if (claims.roles?.length) payload.roles = claims.roles;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? "12h")
    .sign(new TextEncoder().encode(secret));
}
