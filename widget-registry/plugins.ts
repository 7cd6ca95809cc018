/**
 * External binder plugins: modules named in the configuration (a path, or an npm package installed
 * beside the server), loaded and validated at start. Any problem stops the start with a message
 * that names the plugin; two plugins (or a plugin and a built-in binder) claiming one widget type
 * is such a problem.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { binderProblem } from "./registry.ts";
import type { Binder } from "./sdk.ts";

export class PluginError extends Error {}

export interface LoadPluginsOptions {
  /** Where relative paths and package names are resolved from; the working directory by default. */
  baseDir?: string;
  /** The binders the server ships, whose types a plugin may not claim. */
  builtIn?: readonly Binder[];
}

const isPath = (spec: string) => spec.startsWith(".") || isAbsolute(spec);

/** The file URL a plugin spec names: a path from `baseDir`, or a package resolved as `require` would from there. */
function locate(spec: string, baseDir: string): string {
  if (isPath(spec)) {
    const path = resolve(baseDir, spec);
    if (!existsSync(path)) throw new PluginError(`plugin "${spec}": no file at ${path}`);
    return pathToFileURL(path).href;
  }
  try {
    return pathToFileURL(createRequire(join(baseDir, "package.json")).resolve(spec)).href;
  } catch (error) {
    throw new PluginError(`plugin "${spec}": package not found from ${baseDir} (${(error as Error).message.split("\n")[0]})`);
  }
}

/** A plugin module's binders: its default export (a binder or a list of them), else its `binders` export. */
function bindersOf(spec: string, module: Record<string, unknown>): Binder[] {
  const exported = module.default ?? module.binders;
  const list = Array.isArray(exported) ? exported : exported === undefined ? [] : [exported];
  if (list.length === 0)
    throw new PluginError(`plugin "${spec}" exports no binder: default-export a binder (defineBinder) or a list of binders`);
  return list as Binder[];
}

/** Loads every plugin in order; resolves to their binders, or rejects with a PluginError naming the plugin. */
export async function loadPlugins(specs: readonly string[], options: LoadPluginsOptions = {}): Promise<Binder[]> {
  const baseDir = options.baseDir ?? process.cwd();
  const owners = new Map<string, string>((options.builtIn ?? []).map((binder) => [binder.type, "a built-in binder"]));
  const loaded: Binder[] = [];
  for (const spec of specs) {
    let module: Record<string, unknown>;
    try {
      module = await import(locate(spec, baseDir));
    } catch (error) {
      if (error instanceof PluginError) throw error;
      throw new PluginError(`plugin "${spec}" failed to load: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const binder of bindersOf(spec, module)) {
      const problem = binderProblem(binder);
      if (problem) throw new PluginError(`plugin "${spec}": binder ${JSON.stringify(binder?.type)}: ${problem}`);
      const owner = owners.get(binder.type);
      if (owner) throw new PluginError(`plugin "${spec}": widget type "${binder.type}" is already claimed by ${owner}`);
      owners.set(binder.type, `plugin "${spec}"`);
      loaded.push(binder);
    }
  }
  return loaded;
}

/** The plugin list of the configuration: comma-separated specs, e.g. TESSERA_PLUGINS="./plugins/a.ts,some-package". */
export function parsePluginList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((spec) => spec.trim())
    .filter((spec) => spec !== "");
}
