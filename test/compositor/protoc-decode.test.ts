import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devToken, startTessera } from "../support/tessera.ts";
import type { Tessera } from "../../compositor/server.ts";

const PROTO_ROOT = join(import.meta.dirname, "../../protos");

function protoFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "gen" ? [] : protoFiles(path);
    return entry.name.endsWith(".proto") ? [relative(PROTO_ROOT, path)] : [];
  });
}

// .ci/run installs Debian's protobuf-compiler: stock protoc, a decoder independent of ours.
let tessera: Tessera;
beforeAll(async () => {
  tessera = await startTessera();
});
afterAll(() => tessera.app.close());

describe("the page as stock protoc sees it", () => {
  it("decodes with protoc --decode=tessera.page.v1.Page: 14 widgets and about 260 items", async () => {
    const authorization = `Bearer ${await devToken({ userId: "u42", persona: "p3" })}`;
    const response = await tessera.app.inject({
      method: "GET",
      url: "/v1/pages/home?platform=web&clientVersion=5.0.0",
      headers: { authorization },
    });
    const text = execFileSync("protoc", ["--decode=tessera.page.v1.Page", `-I${PROTO_ROOT}`, ...protoFiles(PROTO_ROOT)], {
      input: response.rawPayload,
      encoding: "utf8",
    });
    const widgets = text.match(/^widgets \{$/gm) ?? [];
    const items = text.match(/^\s+(items|slides) \{$/gm) ?? [];
    expect(widgets).toHaveLength(14);
    expect(items.length).toBeGreaterThanOrEqual(240);
    expect(items.length).toBeLessThanOrEqual(270);
    expect(text).toContain('page_id: "home"');
    expect(text).toMatch(/content_id: "m\d+"/);
  });
});
