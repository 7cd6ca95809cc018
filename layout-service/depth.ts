/**
 * How deep a layout document may nest (objects and arrays, the document itself being level 1).
 * A widget's config is a google.protobuf.Struct in the protobuf form, where each JSON level costs two
 * messages (Struct or ListValue, then Value) and protobuf readers stop at 100: 32 levels stay well
 * within that, so every layout that saves can be read back by every client.
 */
export const LAYOUT_MAX_DEPTH = 32;

/** Whether a JSON value nests deeper than `limit`, found without recursion (the value may nest thousands deep). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (typeof next !== "object" || next === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(next) ? next : Object.values(next)) pending.push([child, depth + 1]);
  }
  return false;
}
