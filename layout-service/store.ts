/**
 * Where layouts live: one interface over the file store (embedded default) and Redis. Drafts are
 * kept apart from published versions; a published version is immutable; every write names what it
 * was based on and fails with StaleWriteError when that is no longer current.
 */
import type { PageLayout, PublishedLayout } from "./model.ts";

export interface StoredVersion {
  pageId: string;
  version: number;
  layout: PageLayout;
  author: string;
  /** ISO 8601. */
  publishedAt: string;
  message: string;
  /** When a rollback: the version whose layout it republished. */
  rolledBackFrom?: number;
}

export interface StoredDraft {
  pageId: string;
  layout: PageLayout;
  /** 1, 2, 3 … per page; a page never saved has none (revision 0). */
  revision: number;
  basedOnVersion: number;
  author: string;
  /** ISO 8601. */
  savedAt: string;
}

export interface SaveDraftInput {
  pageId: string;
  layout: PageLayout;
  /** The revision the edit started from: 0 when there was no saved draft. */
  baseRevision: number;
  author: string;
  savedAt: string;
}

export interface PublishInput {
  pageId: string;
  layout: PageLayout;
  /** The version being replaced: 0 when the page was never published. */
  baseVersion: number;
  /** When publishing the draft: the draft revision the operator saw (0: none saved). */
  draftRevision?: number;
  author: string;
  publishedAt: string;
  message: string;
  rolledBackFrom?: number;
}

/** Hears of publishes, including other instances' when the store is shared. */
export interface StoreListener {
  /** `lineage`: see PublishedVersions. */
  published(pageId: string, version: number, lineage: string): void;
  /** Notifications may have been missed (e.g. a reconnect): compare every page's version. */
  resync?(): void;
}

export interface LayoutStore {
  /** Every page with a published version or a draft. */
  pageIds(): Promise<string[]>;
  current(pageId: string): Promise<StoredVersion | undefined>;
  version(pageId: string, version: number): Promise<StoredVersion | undefined>;
  /** Newest first. */
  history(pageId: string): Promise<StoredVersion[]>;
  draft(pageId: string): Promise<StoredDraft | undefined>;
  saveDraft(input: SaveDraftInput): Promise<StoredDraft>;
  publish(input: PublishInput): Promise<StoredVersion>;
  /** Every page's current published version, in one read. */
  publishedVersions(): Promise<PublishedVersions>;
  watch(listener: StoreListener): () => void;
  /**
   * A store that can lose its data (Redis without persistence, a FLUSHALL) writes back what
   * `held()` returns when it finds it did, before it answers anything else: the published layouts
   * a compositor holds in memory, at their versions, so that versions go on from there.
   */
  restoreFrom?(held: () => ReadonlyMap<string, PublishedLayout>): void;
  close(): Promise<void>;
}

export interface PublishedVersions {
  /**
   * Which history the versions belong to: the same while the store keeps its data, another after
   * it lost it and was restored or seeded again. Versions compare only within one lineage: in a new
   * one, a version lower than (or equal to) one held from the old one is still the newer layout.
   */
  lineage: string;
  /** pageId → current published version. */
  versions: Map<string, number>;
}

/** A write based on a draft revision or version that is no longer the current one. */
export class StaleWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StaleWriteError";
  }
}

export function staleDraft(pageId: string, expected: number, actual: number): StaleWriteError {
  return new StaleWriteError(`the draft of "${pageId}" is at revision ${actual}, not ${expected}: reload it and apply your change again`);
}

export function staleVersion(pageId: string, expected: number, actual: number): StaleWriteError {
  return new StaleWriteError(`"${pageId}" is published at version ${actual}, not ${expected}: reload it and try again`);
}
