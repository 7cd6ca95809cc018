/** Edits of shared files that wire a new widget in: the Widget envelope's oneof and the binder list. */
import type { WidgetNames } from "./names.ts";

/** widget.proto with the new body's import and oneof field (the next free number, at least 10). */
export function addToEnvelope(proto: string, names: WidgetNames): string {
  const message = /message Widget \{[\s\S]*?\n\}/.exec(proto);
  if (!message) throw new Error("protos/tessera/page/v1/widget.proto has no `message Widget { ... }`");
  const oneof = /(\n([ \t]*)oneof body \{\n)([\s\S]*?)(\n[ \t]*\})/.exec(message[0]);
  if (!oneof) throw new Error("message Widget has no `oneof body { ... }`");
  if (new RegExp(`\\b${names.snake}\\s*=`).test(oneof[3]!)) throw new Error(`Widget.body already has a field ${names.snake}`);

  const used = [...message[0].matchAll(/=\s*(\d+)\s*[;[]/g), ...message[0].matchAll(/reserved\s+([\d\s,to]+);/g)].flatMap((match) =>
    match[1]!.split(",").flatMap((part) => {
      const [from, to] = part
        .trim()
        .split(/\s+to\s+/)
        .map(Number);
      return to === undefined ? [from!] : [from!, to];
    }),
  );
  const number = Math.max(10, ...used.map((n) => n + 1));
  const indent = `${oneof[2]}  `;
  const field = `${indent}tessera.widgets.v1.${names.pascal} ${names.snake} = ${number};`;
  const newOneof = `${oneof[1]}${oneof[3]}\n${field}${oneof[4]}`;
  const newMessage = message[0].replace(oneof[0], newOneof);
  let edited = proto.replace(message[0], newMessage);

  const importLine = `import "tessera/widgets/v1/${names.snake}.proto";`;
  const imports = [...edited.matchAll(/^import "[^"]+";$/gm)];
  if (imports.length === 0) {
    edited = edited.replace(/^(package [^;]+;\n)/m, `$1\n${importLine}\n`);
  } else {
    const block = imports.map((match) => match[0]);
    const first = imports[0]!.index!;
    const last = imports.at(-1)!;
    const end = last.index! + last[0].length;
    if (edited.slice(first, end) === block.join("\n")) {
      edited = edited.slice(0, first) + [...block, importLine].sort().join("\n") + edited.slice(end);
    } else {
      edited = edited.slice(0, end) + `\n${importLine}` + edited.slice(end);
    }
  }
  return edited;
}

/** binders/index.ts with the new binder imported and appended to the list the composition root hands the registry. */
export function addToBinderList(index: string, names: WidgetNames): string {
  const list = /(export const binders\b[^=]*=\s*\[)([\s\S]*?)(\];)/.exec(index);
  if (!list) throw new Error("binders/index.ts has no `export const binders = [ ... ];`");
  const entries = list[2]!.replace(/\s+$/, "");
  const multiline = entries.includes("\n");
  const newEntries = multiline
    ? `${entries.endsWith(",") ? entries : `${entries},`}\n  ${names.camel},\n`
    : entries.trim() === ""
      ? names.camel
      : `${entries.replace(/,\s*$/, "")}, ${names.camel}`;
  let edited = index.replace(list[0], `${list[1]}${newEntries}${list[3]}`);

  const importLine = `import ${names.camel} from "./${names.type}/binder.ts";`;
  const imports = [...edited.matchAll(/^import [^;]+;$/gm)];
  const last = imports.at(-1);
  const at = last ? last.index! + last[0].length : 0;
  edited = `${edited.slice(0, at)}${last ? "\n" : ""}${importLine}${last ? "" : "\n"}${edited.slice(at)}`;
  return edited;
}
