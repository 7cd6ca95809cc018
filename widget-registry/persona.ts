/**
 * The persona of a caller whose token names none. Anonymous clients compute theirs with the rule the
 * README documents, so the values must never change: `p` + (32-bit FNV-1a of the key's UTF-16 code
 * units mod 8).
 */
export const PERSONA_COUNT = 8;
/** A persona's name: `p0` … `p7`. */
export const PERSONA = /^p[0-7]$/;

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Signed-in users by their id, anonymous ones by their device id (X-Device-Id), or p0 without one. */
export function personaFor(key: string): string {
  return key ? `p${fnv1a(key) % PERSONA_COUNT}` : "p0";
}
