import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { widgetNames, type WidgetNames } from "../../scripts/scaffold/names.ts";
import { addToBinderList, addToEnvelope } from "../../scripts/scaffold/wiring.ts";

const REPO = join(import.meta.dirname, "../..");
const SKIPPED = new Set(["node_modules", ".git", ".data", "artifacts", "coverage"]);
let copy: string;

/**
 * The suites a new widget can affect: every binder's test (the generated one included), the
 * registry and test kit, plugin loading beside the built-in binders, layout validation and the
 * layout API (ListWidgets), and the import rules.
 */
const AFFECTED_SUITES = [
  "test/binders",
  "test/widget-kit/test-kit.test.ts",
  "test/widget-kit/plugins.test.ts",
  "test/layout-service/validate.test.ts",
  "test/layout-service/layout-api.test.ts",
  "test/guard-rails/import-boundary.test.ts",
];

/** Runs a command in the copy with the project's Node and tools first on PATH. */
function run(command: string, args: string[], timeout = 60_000): SpawnSyncReturns<string> {
  // NO_COLOR: vitest's summary is matched below.
  const env = { ...process.env, NO_COLOR: "1", PATH: `${join(copy, "node_modules/.bin")}:${process.env.PATH}` };
  return spawnSync(command, args, { cwd: copy, env, encoding: "utf8", timeout });
}
const ok = (result: SpawnSyncReturns<string>) => ({
  status: result.status,
  output: result.status === 0 ? "" : `${result.stdout}${result.stderr}`,
});

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "tessera-scaffold-"));
  cpSync(REPO, copy, { recursive: true, filter: (source) => !SKIPPED.has(relative(REPO, source).split("/").at(-1)!) || source === REPO });
  symlinkSync(join(REPO, "node_modules"), join(copy, "node_modules"));
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

describe("npm run new-widget", { timeout: 300_000 }, () => {
  it("scaffolds a widget into a copy of the repository that builds and composes a page holding it", () => {
    const scaffold = run(process.execPath, ["scripts/new-widget.ts", "top-ten"]);
    expect(ok(scaffold)).toEqual({ status: 0, output: "" });

    for (const file of [
      "binders/top-ten/binder.ts",
      "binders/top-ten/messages.ts",
      "protos/tessera/widgets/v1/top_ten.proto",
      "protos/gen/tessera/widgets/v1/top_ten_pb.js",
      "test/binders/top-ten.test.ts",
    ]) {
      expect(existsSync(join(copy, file)), file).toBe(true);
    }
    const envelope = readFileSync(join(copy, "protos/tessera/page/v1/widget.proto"), "utf8");
    expect(envelope).toContain('import "tessera/widgets/v1/top_ten.proto";');
    expect(envelope).toMatch(/tessera\.widgets\.v1\.TopTen top_ten = \d+;/);
    expect(readFileSync(join(copy, "binders/index.ts"), "utf8")).toMatch(
      /import topTen from "\.\/top-ten\/binder\.ts";[\s\S]*topTen,?\s*\]/,
    );

    // Builds: the scaffolder regenerated the code, types check, protos and imports lint clean.
    expect(readFileSync(join(copy, "protos/gen/tessera/page/v1/widget_pb.d.ts"), "utf8")).toContain('case: "topTen"');
    expect(ok(run("npm", ["run", "--silent", "typecheck"], 150_000))).toEqual({ status: 0, output: "" });
    expect(ok(run("npm", ["run", "--silent", "format:check"]))).toEqual({ status: 0, output: "" });
    expect(ok(run("npx", ["buf", "lint"]))).toEqual({ status: 0, output: "" });
    expect(ok(run(process.execPath, ["scripts/check-imports.ts"]))).toEqual({ status: 0, output: "" });

    // Composes the reference home page plus the new widget, through the real server and its shipped binder list.
    writeFileSync(
      join(copy, "test/compose-check.ts"),
      `import { pageLayoutSchema } from "../layout-service/model.ts";
import { createStaticLayoutSource } from "../compositor/layouts/static-source.ts";
import { startTessera } from "./support/tessera.ts";
const layout = pageLayoutSchema.parse({ pageId: "p", variants: [{ id: "v", placements: [{ instanceId: "hero", type: "hero" }, { instanceId: "ten", type: "top-ten", config: { limit: 3 } }] }] });
const { app } = await startTessera({ layouts: createStaticLayoutSource(new Map([["p", { layout, version: 1 }]])) });
const response = await app.inject({ url: "/v1/pages/p?platform=web", headers: { accept: "application/json" } });
console.log(response.body);
await app.close();
`,
    );
    const composed = run(process.execPath, ["test/compose-check.ts"]);
    expect(ok(composed)).toEqual({ status: 0, output: "" });
    const page = JSON.parse(composed.stdout);
    expect(page.widgets.map((widget: { type: string }) => widget.type)).toEqual(["hero", "top-ten"]);
    expect(page.widgets[1].topTen.title).toBe("Top ten");
    expect(page.widgets[1].topTen.items).toHaveLength(3);

    // The generated test passes as generated, preview page included, and so does every suite a new widget can affect.
    const tested = run(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...AFFECTED_SUITES], 150_000);
    expect(ok(tested)).toEqual({ status: 0, output: "" });
    expect(tested.stdout).toMatch(/test\/binders\/top-ten\.test\.ts \(5 tests\)/);
    expect(tested.stdout).toMatch(/test\/layout-service\/layout-api\.test\.ts \(\d+ tests\)/);
  });

  it("refuses a type that exists or is malformed, changing nothing", () => {
    const before = readFileSync(join(copy, "protos/tessera/page/v1/widget.proto"), "utf8");
    const taken = run(process.execPath, ["scripts/new-widget.ts", "hero"]);
    expect(taken.status).toBe(1);
    expect(taken.stderr).toContain('new-widget: cannot scaffold "hero": binders/hero already exists');
    const malformed = run(process.execPath, ["scripts/new-widget.ts", "Top_Ten"]);
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toContain('"Top_Ten" is not a widget type');
    expect(readFileSync(join(copy, "protos/tessera/page/v1/widget.proto"), "utf8")).toBe(before);
  });
});

describe("the scaffolder's edits", () => {
  const names = widgetNames("top-ten") as WidgetNames;

  it("names a widget type for proto and TypeScript", () => {
    expect(names).toEqual({ type: "top-ten", snake: "top_ten", pascal: "TopTen", camel: "topTen", title: "Top ten" });
  });

  it("takes the next free field number of the envelope, past reserved ones", () => {
    const proto = `syntax = "proto3";\n\npackage p;\n\nimport "b.proto";\n\nmessage Widget {\n  string id = 1;\n  reserved 14, 16 to 18;\n  oneof body {\n    A a = 10;\n  }\n}\n`;
    const edited = addToEnvelope(proto, names);
    expect(edited).toContain('import "b.proto";\nimport "tessera/widgets/v1/top_ten.proto";');
    expect(edited).toContain("    A a = 10;\n    tessera.widgets.v1.TopTen top_ten = 19;\n  }");
  });

  it("appends to a binder list on one line or many", () => {
    expect(addToBinderList('import a from "./a/binder.ts";\n\nexport const binders = [a];\n', names)).toBe(
      'import a from "./a/binder.ts";\nimport topTen from "./top-ten/binder.ts";\n\nexport const binders = [a, topTen];\n',
    );
    expect(addToBinderList('import a from "./a/binder.ts";\n\nexport const binders = [\n  a,\n];\n', names)).toContain(
      "[\n  a,\n  topTen,\n];",
    );
  });
});
