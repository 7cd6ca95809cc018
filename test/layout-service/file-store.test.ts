import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe } from "vitest";
import { createFileStore } from "../../layout-service/file-store.ts";
import { storeContract } from "./store-contract.ts";

describe("file layout store", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tessera-file-store-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  storeContract(() => createFileStore(dir));
});
