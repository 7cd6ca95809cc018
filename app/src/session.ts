/**
 * Who the app is: anonymous unless it has a bearer token, taken from the URL fragment
 * (`/app/#token=…`, then removed from the address bar) or kept in localStorage from an earlier visit.
 * An anonymous client names its persona itself, computed from its device id (README.md, "Who is
 * asking"), so that a CDN can keep its pages.
 */
const TOKEN_KEY = "tessera.app.token";
const DEVICE_KEY = "tessera.app.device";

export function takeTokenFromUrl(): void {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get("token");
  if (!token) return;
  localStorage.setItem(TOKEN_KEY, token);
  history.replaceState(history.state, "", location.pathname + location.search);
}

export const token = (): string | undefined => localStorage.getItem(TOKEN_KEY) ?? undefined;

export function signOut(): void {
  localStorage.removeItem(TOKEN_KEY);
}

/** The token's user (its `sub`), for display only: the server verifies the token, never the app. */
export function userName(): string | undefined {
  const payload = token()?.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: unknown };
    return typeof claims.sub === "string" ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

/** `p0`…`p7` from the device id: 32-bit FNV-1a of its UTF-16 code units, mod 8. The rule never changes. */
export function anonymousPersona(): string {
  let deviceId = localStorage.getItem(DEVICE_KEY);
  if (!deviceId) {
    deviceId = crypto.randomUUID();
    localStorage.setItem(DEVICE_KEY, deviceId);
  }
  let hash = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) hash = Math.imul(hash ^ deviceId.charCodeAt(i), 0x01000193);
  return `p${(hash >>> 0) % 8}`;
}
