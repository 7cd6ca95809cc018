import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { binders } from "../../binders/index.ts";
import { pageLayoutSchema } from "../../layout-service/model.ts";
import { createStaticLayoutSource } from "../../compositor/layouts/static-source.ts";
import { loadPlugins, parsePluginList, PluginError } from "../../widget-registry/plugins.ts";
import { startTessera } from "../support/tessera.ts";

const REPO = join(import.meta.dirname, "../..");
const FIXTURES = "./test/fixtures/plugins";
const load = (...specs: string[]) => loadPlugins(specs, { baseDir: REPO, builtIn: binders });
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("loading plugins", () => {
  it("loads a binder from a path and composes a page that places it", async () => {
    const plugins = await load(`${FIXTURES}/new-releases.ts`);
    expect(plugins.map((binder) => binder.type)).toEqual(["new-releases"]);

    const layout = pageLayoutSchema.parse({
      pageId: "plugged",
      variants: [
        {
          id: "default",
          placements: [
            { instanceId: "hero", type: "hero" },
            { instanceId: "fresh", type: "new-releases", config: { limit: 4 } },
          ],
        },
      ],
    });
    const { app } = await startTessera({
      binders: [...binders, ...plugins],
      layouts: createStaticLayoutSource(new Map([["plugged", { layout, version: 1 }]])),
    });
    try {
      const response = await app.inject({ url: "/v1/pages/plugged?platform=web&locale=fr", headers: { accept: "application/json" } });
      expect(response.statusCode).toBe(200);
      const page = response.json();
      expect(page.widgets.map((widget: { type: string }) => widget.type)).toEqual(["hero", "new-releases"]);
      expect(page.widgets[1].tray.title).toBe("Nouveautés");
      expect(page.widgets[1].tray.items).toHaveLength(4);
    } finally {
      await app.close();
    }
  });

  it("loads a list of binders from one module", async () => {
    expect((await load(`${FIXTURES}/two-binders.ts`)).map((binder) => binder.type)).toEqual(["new-releases-short", "new-releases-long"]);
  });

  it("loads a binder from an npm package installed beside the server", async () => {
    const base = mkdtempSync(join(tmpdir(), "tessera-plugin-pkg-"));
    temps.push(base);
    const pkg = join(base, "node_modules", "tessera-plugin-fresh");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(base, "package.json"), JSON.stringify({ name: "deployment", private: true }));
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "tessera-plugin-fresh", type: "module", exports: "./index.js" }));
    const binderUrl = pathToFileURL(join(REPO, FIXTURES, "new-releases.ts")).href;
    writeFileSync(join(pkg, "index.js"), `export { default } from ${JSON.stringify(binderUrl)};\n`);
    const plugins = await loadPlugins(["tessera-plugin-fresh"], { baseDir: base, builtIn: binders });
    expect(plugins.map((binder) => binder.type)).toEqual(["new-releases"]);
  });

  it("reads the plugin list of the configuration", () => {
    expect(parsePluginList(" ./a.ts, some-package ,,")).toEqual(["./a.ts", "some-package"]);
    expect(parsePluginList(undefined)).toEqual([]);
  });
});

describe("refusing plugins", () => {
  const refusals: Array<[string, string[], string]> = [
    [
      "a body that is no Widget field",
      ["bad-body.ts"],
      `plugin "${FIXTURES}/bad-body.ts": binder "carousel-widget": body "carousel" is not a field of tessera.page.v1.Widget.body`,
    ],
    [
      "a bad template version",
      ["bad-versions.ts"],
      `plugin "${FIXTURES}/bad-versions.ts": binder "bad-versions": template 1: minClientVersion.web "five" is not a semantic version`,
    ],
    [
      "another major version of the SDK",
      ["old-sdk.ts"],
      `plugin "${FIXTURES}/old-sdk.ts": binder "old-sdk": written for SDK ^0.9.0; this server has SDK 1.0.0`,
    ],
    [
      "a module that exports no binder",
      ["no-binder.ts"],
      `plugin "${FIXTURES}/no-binder.ts" exports no binder: default-export a binder (defineBinder) or a list of binders`,
    ],
    ["a module that throws", ["throws.ts"], `plugin "${FIXTURES}/throws.ts" failed to load: plugin configuration missing`],
    ["a missing file", ["nowhere.ts"], `plugin "${FIXTURES}/nowhere.ts": no file at ${join(REPO, "test/fixtures/plugins/nowhere.ts")}`],
    [
      "a built-in widget type",
      ["hero-again.ts"],
      `plugin "${FIXTURES}/hero-again.ts": widget type "hero" is already claimed by a built-in binder`,
    ],
    [
      "two plugins claiming one type",
      ["new-releases.ts", "new-releases-again.ts"],
      `plugin "${FIXTURES}/new-releases-again.ts": widget type "new-releases" is already claimed by plugin "${FIXTURES}/new-releases.ts"`,
    ],
  ];

  it.each(refusals)("refuses %s, naming the plugin", async (_name, files, message) => {
    const error = await load(...files.map((file) => `${FIXTURES}/${file}`)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PluginError);
    expect((error as Error).message).toBe(message);
  });

  it("refuses a package that is not installed", async () => {
    await expect(load("tessera-plugin-nonexistent")).rejects.toThrow(/^plugin "tessera-plugin-nonexistent": package not found from /);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** Runs `npm start`'s entry point with TESSERA_PLUGINS until it exits or says it is serving. */
async function startServer(plugins: string): Promise<{ code: number | null; stderr: string; serving: boolean }> {
  const dataDir = mkdtempSync(join(tmpdir(), "tessera-plugin-start-"));
  temps.push(dataDir);
  const env = {
    ...process.env,
    TESSERA_PLUGINS: plugins,
    PORT: String(await freePort()),
    GRPC_PORT: "0",
    LAYOUT_DATA_DIR: dataDir,
    REDIS_URL: "",
    LOG_LEVEL: "info",
  };
  const child = spawn(process.execPath, ["compositor/main.ts"], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!stdout.includes("tessera is serving")) return;
      clearInterval(timer);
      child.kill("SIGTERM");
      resolve({ code: null, stderr, serving: true });
    }, 50);
    child.on("exit", (code) => {
      clearInterval(timer);
      resolve({ code, stderr, serving: stdout.includes("tessera is serving") });
    });
  });
}

describe("the server's start", () => {
  it("stops with a message naming a bad plugin", async () => {
    const result = await startServer(`${FIXTURES}/new-releases.ts,${FIXTURES}/bad-body.ts`);
    expect(result.serving).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`tessera failed to start: plugin "${FIXTURES}/bad-body.ts": binder "carousel-widget": body "carousel"`);
  });

  it("stops when two plugins claim one widget type", async () => {
    const result = await startServer(`${FIXTURES}/new-releases.ts,${FIXTURES}/new-releases-again.ts`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`widget type "new-releases" is already claimed by plugin "${FIXTURES}/new-releases.ts"`);
  });

  it("serves with a good plugin", async () => {
    expect((await startServer(`${FIXTURES}/new-releases.ts`)).serving).toBe(true);
  });
});
