/**
 * Freshness of cached output under editorial content changes. Each process follows the
 * content-change stream (dds/content/changes.ts) and knows every entity's revision (the seq of its
 * last update). An update drops what shows the entity (`dropShowing`: widgets, pages, shared
 * entities of this process), and entries of the Redis widget tier carry the revisions they were
 * built from, so a lookup refuses an older one. Output composed while an update arrived is not
 * kept at all (`epoch`): it may mix data from before and after.
 */
import type { ContentUpdate } from "../../dds/content/changes.ts";

export interface ContentFreshness {
  /** Counts the updates applied: output made while it changed must not be kept. */
  readonly epoch: number;
  /** The entity's revision: 0 when it never changed. */
  revision(entity: string): number;
  apply(update: ContentUpdate): void;
}

export function createContentFreshness(dropShowing: (entity: string) => void): ContentFreshness {
  const revisions = new Map<string, number>();
  let epoch = 0;
  return {
    get epoch() {
      return epoch;
    },
    revision: (entity) => revisions.get(entity) ?? 0,
    apply(update) {
      if ((revisions.get(update.entity) ?? 0) >= update.seq) return;
      revisions.set(update.entity, update.seq);
      epoch++;
      dropShowing(update.entity);
    },
  };
}

/** A Redis entry's header: the revision of every entity the entry shows, as it was built. */
export function revisionsHeader(entities: readonly string[], freshness: ContentFreshness): Buffer {
  const revisions: Record<string, number> = {};
  for (const entity of entities) revisions[entity] = freshness.revision(entity);
  const json = Buffer.from(JSON.stringify(revisions));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([length, json]);
}

/** The entry's entities and body when none of them changed since it was built; undefined when one did. */
export function readRevisionsHeader(bytes: Buffer, freshness: ContentFreshness): { entities: string[]; body: Buffer } | undefined {
  if (bytes.length < 4 || bytes.readUInt32BE(0) > bytes.length - 4) throw new Error("a widget cache entry without its revisions header");
  const length = bytes.readUInt32BE(0);
  const revisions = JSON.parse(bytes.subarray(4, 4 + length).toString()) as Record<string, number>;
  const entities = Object.keys(revisions);
  for (const entity of entities) if (revisions[entity]! < freshness.revision(entity)) return undefined;
  return { entities, body: bytes.subarray(4 + length) };
}
