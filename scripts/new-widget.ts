/**
 * `npm run new-widget -- <type>`: scaffolds a working widget — its binder folder, its proto message
 * wired into the Widget envelope, regenerated code, a test, and its entry in the binder list — that
 * passes `npm test` as generated. When any step fails, every file is put back as it was.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { widgetNames, type WidgetNames } from "./scaffold/names.ts";
import { binderFile, messagesFile, protoFile, testFile } from "./scaffold/templates.ts";
import { addToBinderList, addToEnvelope } from "./scaffold/wiring.ts";

const ROOT = join(import.meta.dirname, "..");
const ENVELOPE = "protos/tessera/page/v1/widget.proto";
const BINDER_LIST = "binders/index.ts";
const WIDGET_PROTOS = "protos/tessera/widgets/v1";

/** Why the widget cannot be scaffolded here, or undefined. */
function conflict(root: string, n: WidgetNames): string | undefined {
  if (existsSync(join(root, "binders", n.type))) return `binders/${n.type} already exists`;
  if (existsSync(join(root, WIDGET_PROTOS, `${n.snake}.proto`))) return `${WIDGET_PROTOS}/${n.snake}.proto already exists`;
  const message = new RegExp(`^message ${n.pascal}\\s*\\{`, "m");
  const clash = readdirSync(join(root, WIDGET_PROTOS)).find((file) => message.test(readFileSync(join(root, WIDGET_PROTOS, file), "utf8")));
  if (clash) return `tessera.widgets.v1.${n.pascal} is already declared in ${WIDGET_PROTOS}/${clash}`;
  const claimed = new RegExp(`\\btype: "${n.type}"`);
  const owner = readdirSync(join(root, "binders")).find((name) => {
    const file = join(root, "binders", name, "binder.ts");
    return existsSync(file) && claimed.test(readFileSync(file, "utf8"));
  });
  if (owner) return `binders/${owner}/binder.ts already has type "${n.type}"`;
  return undefined;
}

export function scaffoldWidget(root: string, type: string, log: (line: string) => void = console.log): void {
  const n = widgetNames(type);
  if (typeof n === "string") throw new Error(n);
  const problem = conflict(root, n);
  if (problem) throw new Error(`cannot scaffold "${type}": ${problem}`);

  const created = [
    `binders/${n.type}/binder.ts`,
    `binders/${n.type}/messages.ts`,
    `${WIDGET_PROTOS}/${n.snake}.proto`,
    `test/binders/${n.type}.test.ts`,
  ];
  const edited = new Map([ENVELOPE, BINDER_LIST].map((file) => [file, readFileSync(join(root, file), "utf8")]));
  const contents = [binderFile(n), messagesFile(n), protoFile(n), testFile(n)];
  const envelope = addToEnvelope(edited.get(ENVELOPE)!, n);
  const list = addToBinderList(edited.get(BINDER_LIST)!, n);
  try {
    created.forEach((file, i) => {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), contents[i]!, { flag: "wx" });
    });
    writeFileSync(join(root, ENVELOPE), envelope);
    writeFileSync(join(root, BINDER_LIST), list);
    const generate = spawnSync("npm", ["run", "--silent", "generate"], { cwd: root, encoding: "utf8" });
    if (generate.status !== 0) throw new Error(`npm run generate failed:\n${generate.stderr || generate.stdout}`);
    // The templates are written for reading; the formatter decides the layout CI checks.
    const sources = [...created, BINDER_LIST].filter((file) => file.endsWith(".ts"));
    const format = spawnSync("npx", ["--no-install", "prettier", "--write", ...sources], { cwd: root, encoding: "utf8" });
    if (format.status !== 0) throw new Error(`prettier failed:\n${format.stderr || format.stdout}`);
  } catch (error) {
    created.forEach((file) => rmSync(join(root, file), { force: true }));
    rmSync(join(root, "binders", n.type), { recursive: true, force: true });
    edited.forEach((text, file) => writeFileSync(join(root, file), text));
    spawnSync("npm", ["run", "--silent", "generate"], { cwd: root });
    throw error;
  }
  for (const file of [...created, ENVELOPE, BINDER_LIST, `protos/gen/tessera/widgets/v1/${n.snake}_pb.{js,d.ts}`]) log(`  wrote ${file}`);
  log(`\n"${n.type}" is ready. Next: npx vitest run test/binders/${n.type}.test.ts, then docs/widgets.md.`);
}

if (import.meta.main) {
  const type = process.argv[2];
  if (!type || process.argv.length > 3) {
    console.error("usage: npm run new-widget -- <type>   (e.g. npm run new-widget -- top-ten)");
    process.exit(2);
  }
  try {
    scaffoldWidget(ROOT, type);
  } catch (error) {
    console.error(`new-widget: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
