import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFileStore } from "../../layout-service/file-store.ts";
import { pageLayoutSchema } from "../../layout-service/model.ts";
import { layoutFor, PLACEMENTS } from "./fixtures/file-store-writer.ts";

const WRITER = join(import.meta.dirname, "fixtures", "file-store-writer.ts");

/** Runs the writer until it has reported `rounds` complete rounds plus a random few milliseconds, then kill -9. */
async function writeThenKill(dir: string, rounds: number): Promise<{ revision: number; version: number }> {
  const child = spawn(process.execPath, [WRITER, dir], { stdio: ["ignore", "pipe", "inherit"] });
  let last = { revision: 0, version: 0 };
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code, signal) => reject(new Error(`writer exited early: ${code ?? signal}`)));
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      for (const line of chunk.trim().split("\n")) {
        const [revision, version] = line.split(" ").map(Number);
        last = { revision: revision!, version: version! };
        if (++seen === rounds) resolve();
      }
    });
  });
  child.removeAllListeners("exit");
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
  return last;
}

/** The round a layout was written in, after checking that it is whole. */
function roundOf(document: unknown): number {
  const layout = pageLayoutSchema.parse(document);
  const round = Number(/^round (\d+)$/.exec(layout.variants[0]!.description ?? "")![1]);
  expect(layout.variants[0]!.placements).toHaveLength(PLACEMENTS);
  expect(layout).toEqual(layoutFor(round));
  return round;
}

describe("file layout store killed during writes", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-crash-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("leaves the last complete draft and versions after kill -9, again and again", async () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      const reported = await writeThenKill(dir, 10);
      const pageDir = join(dir, "crash");

      // Every file the store reads parses and is a whole version: never a mix of two writes.
      const draft = JSON.parse(await readFile(join(pageDir, "draft.json"), "utf8"));
      expect(draft.revision).toBeGreaterThanOrEqual(reported.revision);
      expect(roundOf(draft.layout)).toBe(draft.revision);
      const versions = (await readdir(pageDir)).filter((name) => /^v\d+\.json$/.test(name));
      for (const name of versions) {
        const record = JSON.parse(await readFile(join(pageDir, name), "utf8"));
        expect(`v${record.version}.json`).toBe(name);
        roundOf(record.layout);
      }

      // A restarted store reads them, tidies leftovers of the killed write, and writes on.
      const store = await createFileStore(dir);
      const current = await store.current("crash");
      expect(current!.version).toBeGreaterThanOrEqual(reported.version);
      expect(current!.version).toBe(versions.length);
      expect((await readdir(pageDir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
      const saved = await store.saveDraft({
        pageId: "crash",
        layout: layoutFor(1),
        baseRevision: draft.revision,
        author: "t",
        savedAt: new Date().toISOString(),
      });
      expect(saved.revision).toBe(draft.revision + 1);
      await store.close();
      // Each attempt starts afresh, so that a layout's round is its draft revision.
      await rm(pageDir, { recursive: true });
    }
  }, 60_000);
});
