/**
 * Where layouts live: one interface over the file store (embedded default) and Redis. Drafts are
 * kept apart from published versions; a published version is immutable; every write names what it
 * was based on and fails with StaleWriteError when that is no longer current.
 */
import type { PageLayout } from "./model.ts";

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
  published(pageId: string, version: number): void;
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
  /** pageId → current published version, in one read. */
  publishedVersions(): Promise<Map<string, number>>;
  watch(listener: StoreListener): () => void;
  close(): Promise<void>;
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
