/**
 * Freshness of cached output under editorial content changes. Each process follows the
 * content-change stream (dds/content/changes.ts) and knows every entity's revision (the seq of its
 * last update). An update drops what shows the entity (`dropShowing`: widgets, pages, shared
 * entities of this process), and entries of the Redis widget tier carry the revisions they were
 * built from, so a lookup refuses an older one. Output composed while an update arrived is not
 * kept at all (`epoch`): it may mix data from before and after. A remote DDS follows the stream on
 * its own and may apply an update after this process has: output made from its answers is kept only
 * when they report (dds-answers.ts) every update this process has applied (`seq`).
 */
import type { ContentUpdate } from "../../dds/content/changes.ts";
import type { DdsAnswers } from "./dds-answers.ts";

export interface ContentFreshness {
  /** Counts the updates applied: output made while it changed must not be kept. */
  readonly epoch: number;
  /** The highest seq applied: every update up to it has dropped what it made stale. */
  readonly seq: number;
  /** Requests whose output was not kept because a remote DDS answered behind `seq`. */
  readonly behindDds: number;
  /** The entity's revision: 0 when it never changed. */
  revision(entity: string): number;
  apply(update: ContentUpdate): void;
  /** Counts a request not kept because of a DDS behind. */
  countBehindDds(): void;
}

export function createContentFreshness(dropShowing: (entity: string) => void): ContentFreshness {
  const revisions = new Map<string, number>();
  let epoch = 0;
  let seq = 0;
  let behindDds = 0;
  return {
    get epoch() {
      return epoch;
    },
    get seq() {
      return seq;
    },
    get behindDds() {
      return behindDds;
    },
    revision: (entity) => revisions.get(entity) ?? 0,
    apply(update) {
      if ((revisions.get(update.entity) ?? 0) >= update.seq) return;
      revisions.set(update.entity, update.seq);
      if (update.seq > seq) seq = update.seq;
      epoch++;
      dropShowing(update.entity);
    },
    countBehindDds: () => void behindDds++,
  };
}

/**
 * Whether what a request composes from now on may be kept (widgets, the page, shared entities):
 * not when an update arrived meanwhile, nor when a DDS answer it used (`answers`, with a remote DDS)
 * was behind an update this process has applied. Such output is served, not kept: the next request
 * composes again, from a DDS that has caught up by then.
 */
export function keepCheck(freshness: ContentFreshness, answers?: DdsAnswers): () => boolean {
  const epoch = freshness.epoch;
  if (!answers) return () => freshness.epoch === epoch;
  return () => {
    if (freshness.epoch !== epoch) return false;
    if (answers.lowest >= freshness.seq) return true;
    if (!answers.counted) {
      answers.counted = true;
      freshness.countBehindDds();
    }
    return false;
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
