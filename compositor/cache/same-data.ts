/**
 * Whether two values a binder's fetch returned are the same data: primitives by value, arrays and
 * plain objects (protobuf messages included) field by field, anything else only when it is the very
 * same object. Entities shared between requests (a title's content, a plan's entitlement) are
 * usually the same object, so a comparison mostly stops at identity.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((value, i) => sameData(value, b[i]));
  if (!isPlain(a) || !isPlain(b) || Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of keys) if (!(key in right) || !sameData(left[key], right[key])) return false;
  return true;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
