/** What every LayoutStore must do, run against the file store and the Redis store. */
import { expect, it } from "vitest";
import { pageLayoutSchema, type PageLayout } from "../../layout-service/model.ts";
import { StaleWriteError, type LayoutStore } from "../../layout-service/store.ts";

export function layoutOf(pageId: string, instanceIds: string[]): PageLayout {
  return pageLayoutSchema.parse({
    pageId,
    variants: [
      { id: "default", placements: instanceIds.map((instanceId) => ({ instanceId, type: "genre-tray", config: { genre: "Drama" } })) },
    ],
  });
}

const at = "2026-11-22T10:00:00.000Z";

export function storeContract(open: () => Promise<LayoutStore>): void {
  it("keeps drafts apart from published versions, counting revisions", async () => {
    const store = await open();
    try {
      await store.publish({
        pageId: "p1",
        layout: layoutOf("p1", ["a"]),
        baseVersion: 0,
        author: "alice",
        publishedAt: at,
        message: "first",
      });
      const draft = await store.saveDraft({
        pageId: "p1",
        layout: layoutOf("p1", ["a", "b"]),
        baseRevision: 0,
        author: "bob",
        savedAt: at,
      });
      expect(draft).toMatchObject({ revision: 1, basedOnVersion: 1, author: "bob" });
      expect((await store.current("p1"))!.layout.variants[0]!.placements.map((p) => p.instanceId)).toEqual(["a"]);
      expect((await store.draft("p1"))!.layout.variants[0]!.placements.map((p) => p.instanceId)).toEqual(["a", "b"]);
      expect(await store.pageIds()).toContain("p1");
    } finally {
      await store.close();
    }
  });

  it("refuses a draft saved on a stale revision and keeps the newer one", async () => {
    const store = await open();
    try {
      await store.saveDraft({ pageId: "p2", layout: layoutOf("p2", ["a"]), baseRevision: 0, author: "alice", savedAt: at });
      await store.saveDraft({ pageId: "p2", layout: layoutOf("p2", ["b"]), baseRevision: 1, author: "alice", savedAt: at });
      await expect(
        store.saveDraft({ pageId: "p2", layout: layoutOf("p2", ["c"]), baseRevision: 1, author: "bob", savedAt: at }),
      ).rejects.toThrow(StaleWriteError);
      const draft = await store.draft("p2");
      expect(draft!.revision).toBe(2);
      expect(draft!.layout.variants[0]!.placements[0]!.instanceId).toBe("b");
    } finally {
      await store.close();
    }
  });

  it("lets exactly one of many concurrent writes on the same revision through", async () => {
    const store = await open();
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.saveDraft({ pageId: "p3", layout: layoutOf("p3", [`w${i}`]), baseRevision: 0, author: `u${i}`, savedAt: at }),
        ),
      );
      const won = results.filter((r) => r.status === "fulfilled");
      expect(won).toHaveLength(1);
      expect(
        results.filter((r) => r.status === "rejected").every((r) => (r as PromiseRejectedResult).reason instanceof StaleWriteError),
      ).toBe(true);
      const winner = (won[0] as PromiseFulfilledResult<{ author: string }>).value.author;
      expect((await store.draft("p3"))!.author).toBe(winner);
    } finally {
      await store.close();
    }
  });

  it("publishes immutable versions with author, time and message; history is newest first", async () => {
    const store = await open();
    try {
      await store.publish({
        pageId: "p4",
        layout: layoutOf("p4", ["a"]),
        baseVersion: 0,
        author: "alice",
        publishedAt: at,
        message: "one",
      });
      await store.publish({ pageId: "p4", layout: layoutOf("p4", ["b"]), baseVersion: 1, author: "bob", publishedAt: at, message: "two" });
      await store.publish({
        pageId: "p4",
        layout: layoutOf("p4", ["a"]),
        baseVersion: 2,
        author: "carol",
        publishedAt: at,
        message: "back",
        rolledBackFrom: 1,
      });
      const history = await store.history("p4");
      expect(history.map((v) => [v.version, v.author, v.message, v.rolledBackFrom])).toEqual([
        [3, "carol", "back", 1],
        [2, "bob", "two", undefined],
        [1, "alice", "one", undefined],
      ]);
      expect((await store.version("p4", 2))!.layout.variants[0]!.placements[0]!.instanceId).toBe("b");
      expect(await store.publishedVersions()).toEqual({ lineage: expect.any(String), versions: expect.any(Map) });
      expect((await store.publishedVersions()).versions.get("p4")).toBe(3);
    } finally {
      await store.close();
    }
  });

  it("refuses a publish based on a stale version or draft revision, publishing nothing", async () => {
    const store = await open();
    try {
      await store.publish({
        pageId: "p5",
        layout: layoutOf("p5", ["a"]),
        baseVersion: 0,
        author: "alice",
        publishedAt: at,
        message: "one",
      });
      await expect(
        store.publish({ pageId: "p5", layout: layoutOf("p5", ["x"]), baseVersion: 0, author: "bob", publishedAt: at, message: "late" }),
      ).rejects.toThrow(StaleWriteError);
      await store.saveDraft({ pageId: "p5", layout: layoutOf("p5", ["b"]), baseRevision: 0, author: "alice", savedAt: at });
      await expect(
        store.publish({
          pageId: "p5",
          layout: layoutOf("p5", ["b"]),
          baseVersion: 1,
          draftRevision: 0,
          author: "bob",
          publishedAt: at,
          message: "old draft",
        }),
      ).rejects.toThrow(StaleWriteError);
      expect((await store.history("p5")).map((v) => v.version)).toEqual([1]);
      const published = await store.publish({
        pageId: "p5",
        layout: layoutOf("p5", ["b"]),
        baseVersion: 1,
        draftRevision: 1,
        author: "bob",
        publishedAt: at,
        message: "ok",
      });
      expect(published.version).toBe(2);
    } finally {
      await store.close();
    }
  });

  it("tells watchers of every publish", async () => {
    const store = await open();
    try {
      const heard: Array<[string, number]> = [];
      const subscribed = new Promise<void>((resolve) =>
        store.watch({ published: (pageId, version) => heard.push([pageId, version]), resync: resolve }),
      );
      // The file store has nothing to resubscribe: it never calls resync.
      await Promise.race([subscribed, new Promise((resolve) => setTimeout(resolve, 300))]);
      await store.publish({
        pageId: "p6",
        layout: layoutOf("p6", ["a"]),
        baseVersion: 0,
        author: "alice",
        publishedAt: at,
        message: "one",
      });
      await expect.poll(() => heard).toEqual([["p6", 1]]);
    } finally {
      await store.close();
    }
  });
}
