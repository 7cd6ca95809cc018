/** The names one widget type goes by: folder, proto file, message, oneof field, TypeScript identifiers. */

export interface WidgetNames {
  /** The widget type and binder folder, e.g. "top-ten". */
  type: string;
  /** The proto file stem and Widget.body field, e.g. "top_ten". */
  snake: string;
  /** The proto message, e.g. "TopTen". */
  pascal: string;
  /** The body case (protobuf-es local name) and the binder's import name, e.g. "topTen". */
  camel: string;
  /** For people, e.g. "Top ten". */
  title: string;
}

export const WIDGET_TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Words TypeScript reserves, which cannot name the binder's import. */
const RESERVED = new Set([
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "new",
  "null",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "yield",
  "let",
  "static",
  "implements",
  "interface",
  "package",
  "private",
  "protected",
  "public",
  "await",
  "binders",
  "constructor",
  "toString",
]);

/** The names of `type`, or why it cannot name a widget. */
export function widgetNames(type: string): WidgetNames | string {
  if (!WIDGET_TYPE.test(type)) return `"${type}" is not a widget type: use lowercase words joined by dashes, e.g. "top-ten"`;
  const words = type.split("-");
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const camel = words[0] + words.slice(1).map(capital).join("");
  if (RESERVED.has(camel)) return `"${type}" is a reserved word in TypeScript: choose another type`;
  return { type, snake: words.join("_"), pascal: words.map(capital).join(""), camel, title: capital(words.join(" ")) };
}
