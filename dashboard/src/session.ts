/** The operator's token, kept for the browser tab only, and what the UI reads from it (the server decides). */
import type { Session } from "./types.ts";

const KEY = "tessera.dashboard.token";

function base64UrlJson(part: string): unknown {
  const base64 = part
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The session of a token, or why it cannot be one. */
export function parseToken(token: string, nowSeconds = Date.now() / 1000): Session | string {
  const trimmed = token.trim().replace(/^Bearer\s+/i, "");
  const parts = trimmed.split(".");
  if (parts.length !== 3) return "this is not a token: expected three dot-separated parts (npm run token -- --user alice --role operator)";
  let claims: { sub?: unknown; roles?: unknown; exp?: unknown };
  try {
    claims = base64UrlJson(parts[1]!) as typeof claims;
  } catch {
    return "this token's claims cannot be read";
  }
  if (typeof claims.exp === "number" && claims.exp <= nowSeconds) return "this token has expired: make a new one";
  return {
    token: trimmed,
    userId: typeof claims.sub === "string" ? claims.sub : "",
    roles: Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === "string") : [],
    expiresAt: typeof claims.exp === "number" ? claims.exp : undefined,
  };
}

export function loadSession(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  if (!token) return undefined;
  const session = parseToken(token);
  return typeof session === "string" ? undefined : session;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, session.token);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
