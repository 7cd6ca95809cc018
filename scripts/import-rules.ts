/**
 * The dependency rules of docs/architecture.md as a check on source files: a binder imports only the
 * SDK, generated protos and its own folder; nothing but the composition root (and tests, benches,
 * scripts, the binder test kit) imports the compositor or the binders; the DDS know nothing of
 * widgets; the registry knows no concrete binder; the API's shared errors (api/) and the Redis
 * connections (redis/) know no room; the dashboard and the reference client (browser apps) import only
 * generated protos and their own files, and the server knows each only by its build. Imports are read with the TypeScript parser, so comments, strings and type-only imports are told apart correctly.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript5";

export interface ImportRef {
  /** The module specifier; undefined when computed at run time (`import(name)`, `require(name)`). */
  specifier: string | undefined;
  line: number;
}

export interface Violation {
  /** The importing file, relative to the repository root, with forward slashes. */
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(["node_modules", "gen", "artifacts", "coverage", "dist"]);

/** Every import, re-export, dynamic import, require and import type of a source text. */
export function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, expression: ts.Node | undefined) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    const literal = expression !== undefined && (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression));
    refs.push({ specifier: literal ? (expression as ts.StringLiteralLike).text : undefined, line });
  };
  const isImportCall = (node: ts.CallExpression) =>
    node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require");
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      add(node, node.moduleReference.expression);
    else if (ts.isCallExpression(node) && isImportCall(node)) add(node, node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node, node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

/** Source files under `root`, skipping dependencies, generated code and hidden folders. */
export function sourceFiles(root: string, dir = root): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(root, path));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

const toPosix = (path: string) => path.split(sep).join("/");
const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
/** Folders whose code may import anything: they are not part of the request path. */
const TOOLING = ["test", "bench", "scripts"];
const TEST_KIT = ["widget-registry/testing.ts", "widget-registry/testing"];
const inTestKit = (path: string) => TEST_KIT.some((kit) => within(path, kit));

const BINDER_RULE = "a binder may import only the SDK (widget-registry/sdk.ts), generated protos (protos/gen/) and files of its own folder";
const BINDER_LIST_RULE = "binders/index.ts lists binders: it may import only binders/<type>/binder.ts and the SDK";
const COMPOSITOR_RULE = "nothing imports the compositor but the compositor itself, tests, benches, scripts and the binder test kit";
const BINDERS_RULE = "only the composition root (compositor/main.ts) imports the binders";
const TEST_KIT_RULE = "the binder test kit is for tests: shipped code must not import it";
const DDS_RULE = "the DDS know nothing of widgets or pages: dds/ imports no widget-registry/, binders/, layout-service/ or compositor/";
const API_RULE = "the API's shared errors know no room: api/ imports only libraries and generated protos (protos/gen/)";
const DASHBOARD_RULE =
  "the dashboard is a browser app: dashboard/ imports only generated protos (protos/gen/), its own files and npm packages";
const DASHBOARD_BUILD_RULE =
  "the server knows the dashboard only by where its build goes: outside dashboard/, only dashboard/paths.ts may be imported";
const APP_RULE = "the reference client is a browser app: app/ imports only generated protos (protos/gen/), its own files and npm packages";
const APP_BUILD_RULE =
  "the server knows the reference client only by where its build goes: outside app/, only app/paths.ts may be imported";
const REDIS_RULE = "redis/ connects to Redis for every room: it imports none of them";
const REGISTRY_RULE =
  "the registry and SDK know no concrete binder, layout or DDS: widget-registry/ imports no binders/, layout-service/, dds/ or compositor/";

/** Which rule an import breaks, or undefined. `file` and `target` are repository-relative posix paths. */
function ruleBroken(file: string, specifier: string | undefined, target: string | undefined): string | undefined {
  const binderFolder = /^binders\/([^/]+)\//.exec(file)?.[1];
  if (binderFolder) {
    if (specifier === undefined) return `${BINDER_RULE} (a computed import cannot be checked)`;
    if (target === "widget-registry/sdk.ts" || (target && (within(target, "protos/gen") || within(target, `binders/${binderFolder}`))))
      return undefined;
    return BINDER_RULE;
  }
  if (file === "binders/index.ts") {
    if (target && (/^binders\/[^/]+\/binder\.(ts|js)$/.test(target) || target === "widget-registry/sdk.ts")) return undefined;
    return BINDER_LIST_RULE;
  }
  if (!target || TOOLING.some((folder) => within(file, folder))) return undefined;
  if (within(file, "dashboard")) return within(target, "dashboard") || within(target, "protos/gen") ? undefined : DASHBOARD_RULE;
  if (within(target, "dashboard") && target !== "dashboard/paths.ts") return DASHBOARD_BUILD_RULE;
  if (within(file, "app")) return within(target, "app") || within(target, "protos/gen") ? undefined : APP_RULE;
  if (within(target, "app") && target !== "app/paths.ts") return APP_BUILD_RULE;
  if (within(target, "compositor") && !within(file, "compositor") && !inTestKit(file)) return COMPOSITOR_RULE;
  if (within(target, "binders") && file !== "compositor/main.ts") return BINDERS_RULE;
  if (inTestKit(target) && !inTestKit(file)) return TEST_KIT_RULE;
  if (within(file, "dds") && ["widget-registry", "binders", "layout-service", "compositor"].some((folder) => within(target, folder)))
    return DDS_RULE;
  if (within(file, "api") && !within(target, "api") && !within(target, "protos/gen")) return API_RULE;
  if (within(file, "redis") && !within(target, "redis")) return REDIS_RULE;
  if (
    within(file, "widget-registry") &&
    !inTestKit(file) &&
    ["binders", "layout-service", "dds", "compositor"].some((folder) => within(target, folder))
  )
    return REGISTRY_RULE;
  return undefined;
}

/** Every import of every source file under `root` that breaks a dependency rule. */
export function checkImports(root: string): Violation[] {
  const violations: Violation[] = [];
  for (const path of sourceFiles(root)) {
    const file = toPosix(relative(root, path));
    for (const ref of importsOf(path, readFileSync(path, "utf8"))) {
      const target = ref.specifier?.startsWith(".") ? toPosix(relative(root, resolve(dirname(path), ref.specifier))) : undefined;
      const rule = ruleBroken(file, ref.specifier, target);
      if (rule) violations.push({ file, line: ref.line, specifier: ref.specifier ?? "(computed)", rule });
    }
  }
  return violations;
}
