/**
 * The embedded layout store: JSON documents in a data directory, one folder per page —
 * `draft.json` and one immutable `v<N>.json` per published version — each written atomically.
 * One process owns a data directory: writes are serialized per page in process, and publish
 * notifications are in process.
 */
import { EventEmitter } from "node:events";
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { TEMP_SUFFIX, writeFileAtomic } from "./atomic-write.ts";
import { pageLayoutSchema } from "./model.ts";
import { PAGE_ID } from "./page-id.ts";
import { staleDraft, staleVersion, type LayoutStore, type StoreListener, type StoredDraft, type StoredVersion } from "./store.ts";

const VERSION_FILE = /^v(\d+)\.json$/;

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function parseVersion(value: unknown): StoredVersion | undefined {
  if (!value) return undefined;
  const record = value as StoredVersion;
  return { ...record, layout: pageLayoutSchema.parse(record.layout) };
}

function parseDraft(value: unknown): StoredDraft | undefined {
  if (!value) return undefined;
  const record = value as StoredDraft;
  return { ...record, layout: pageLayoutSchema.parse(record.layout) };
}

/** Files keep their history: one lineage for ever. */
const FILE_LINEAGE = "files";

export async function createFileStore(dataDir: string): Promise<LayoutStore> {
  await mkdir(dataDir, { recursive: true });
  const events = new EventEmitter();
  const locks = new Map<string, Promise<unknown>>();

  const pageDir = (pageId: string) => {
    // The layout admin checks ids first: one that arrives here is a bug, not a request to answer.
    if (!PAGE_ID.test(pageId)) throw new Error(`invalid page id "${pageId}"`);
    return join(dataDir, pageId);
  };

  /** Runs writes to one page one after another. */
  function exclusive<T>(pageId: string, work: () => Promise<T>): Promise<T> {
    const previous = locks.get(pageId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => {});
    locks.set(pageId, settled);
    void settled.then(() => {
      if (locks.get(pageId) === settled) locks.delete(pageId);
    });
    return next;
  }

  async function versionNumbers(pageId: string): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(pageDir(pageId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    return names
      .flatMap((name) => {
        const match = VERSION_FILE.exec(name);
        return match ? [Number(match[1])] : [];
      })
      .sort((a, b) => a - b);
  }

  const currentVersion = async (pageId: string) => (await versionNumbers(pageId)).at(-1) ?? 0;
  const readVersion = async (pageId: string, version: number) => parseVersion(await readJson(join(pageDir(pageId), `v${version}.json`)));
  const readDraft = async (pageId: string) => parseDraft(await readJson(join(pageDir(pageId), "draft.json")));

  // Leftovers of writes killed half way: never read, so only tidied up.
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const name of await readdir(join(dataDir, entry.name))) {
      if (name.endsWith(TEMP_SUFFIX)) await rm(join(dataDir, entry.name, name), { force: true });
    }
  }

  const store: LayoutStore = {
    async pageIds() {
      const entries = await readdir(dataDir, { withFileTypes: true });
      return entries
        .filter((entry) => entry.isDirectory() && PAGE_ID.test(entry.name))
        .map((entry) => entry.name)
        .sort();
    },
    async current(pageId) {
      const version = await currentVersion(pageId);
      return version ? readVersion(pageId, version) : undefined;
    },
    version: (pageId, version) => readVersion(pageId, version),
    async history(pageId) {
      const versions = await versionNumbers(pageId);
      const records = await Promise.all(versions.reverse().map((version) => readVersion(pageId, version)));
      return records.filter((record) => record !== undefined);
    },
    draft: (pageId) => readDraft(pageId),

    saveDraft(input) {
      return exclusive(input.pageId, async () => {
        const existing = await readDraft(input.pageId);
        const revision = existing?.revision ?? 0;
        if (input.baseRevision !== revision) throw staleDraft(input.pageId, input.baseRevision, revision);
        const draft: StoredDraft = {
          pageId: input.pageId,
          layout: input.layout,
          revision: revision + 1,
          basedOnVersion: await currentVersion(input.pageId),
          author: input.author,
          savedAt: input.savedAt,
        };
        await mkdir(pageDir(input.pageId), { recursive: true });
        await writeFileAtomic(join(pageDir(input.pageId), "draft.json"), JSON.stringify(draft, null, 2));
        return draft;
      });
    },

    async publish(input) {
      const record = await exclusive(input.pageId, async () => {
        const current = await currentVersion(input.pageId);
        if (input.baseVersion !== current) throw staleVersion(input.pageId, input.baseVersion, current);
        if (input.draftRevision !== undefined) {
          const revision = (await readDraft(input.pageId))?.revision ?? 0;
          if (input.draftRevision !== revision) throw staleDraft(input.pageId, input.draftRevision, revision);
        }
        const record: StoredVersion = {
          pageId: input.pageId,
          version: current + 1,
          layout: input.layout,
          author: input.author,
          publishedAt: input.publishedAt,
          message: input.message,
          ...(input.rolledBackFrom !== undefined ? { rolledBackFrom: input.rolledBackFrom } : {}),
        };
        await mkdir(pageDir(input.pageId), { recursive: true });
        await writeFileAtomic(join(pageDir(input.pageId), `v${record.version}.json`), JSON.stringify(record, null, 2));
        return record;
      });
      events.emit("published", record.pageId, record.version);
      return record;
    },

    async publishedVersions() {
      const versions = new Map<string, number>();
      for (const pageId of await store.pageIds()) {
        const version = await currentVersion(pageId);
        if (version) versions.set(pageId, version);
      }
      return { lineage: FILE_LINEAGE, versions };
    },

    watch(listener: StoreListener) {
      const onPublished = (pageId: string, version: number) => listener.published(pageId, version, FILE_LINEAGE);
      events.on("published", onPublished);
      return () => events.off("published", onPublished);
    },
    async close() {
      await Promise.all(locks.values());
      events.removeAllListeners();
    },
  };
  return store;
}
