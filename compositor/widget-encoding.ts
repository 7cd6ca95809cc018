/**
 * Encodes a Widget to protobuf binary, a few times faster than protobuf-es's generic writer: one
 * growing buffer, sub-message lengths patched in after the fact instead of a chunk list per
 * sub-message. It covers what widget messages are made of (strings, bools, 32-bit integers,
 * enums, messages, repeated messages, oneofs, implicit presence); for any other schema it hands
 * over to `toBinary`. Output is byte for byte `toBinary`'s (fields in number order).
 */
import { ScalarType, toBinary, type DescField, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { WidgetSchema, type Widget } from "../protos/gen/tessera/page/v1/widget_pb.js";
import { WidgetLoggingSchema, type WidgetLogging } from "../protos/gen/tessera/page/v1/logging_pb.js";
import { allocateBytes, type BytesHolder } from "./request-bytes.ts";

class Writer {
  buf = Buffer.allocUnsafe(4096);
  pos = 0;

  ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  /** A copy of the bytes from `start` to the current position, held as `holder` says. */
  copy(holder: BytesHolder, start = 0): Uint8Array {
    const copy = allocateBytes(this.pos - start, holder);
    this.buf.copy(copy, 0, start, this.pos);
    return copy;
  }

  varint(value: number): void {
    this.ensure(5);
    while (value > 0x7f) {
      this.buf[this.pos++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buf[this.pos++] = value;
  }

  /** A negative int32 is sign-extended to a 64-bit varint (ten bytes). */
  int32(value: number): void {
    if (value >= 0) return this.varint(value);
    this.ensure(10);
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest > 0x7fn) {
      this.buf[this.pos++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buf[this.pos++] = Number(rest);
  }

  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  string(value: string): void {
    this.ensure(value.length * 3 + 5);
    const start = this.pos + 1;
    const length = this.buf.write(value, start, "utf8");
    this.patchLength(start, length);
  }

  /** The length prefix of the `length` bytes written at `start`, where one byte was reserved for it. */
  patchLength(start: number, length: number): void {
    if (length < 0x80) {
      this.buf[start - 1] = length;
      this.pos = start + length;
      return;
    }
    let extra = 0;
    for (let rest = length >>> 7; rest > 0; rest >>>= 7) extra++;
    this.pos = start + length;
    this.ensure(extra);
    this.buf.copyWithin(start + extra, start, start + length);
    this.pos = start - 1;
    this.varint(length);
    this.pos += length;
  }
}

type MessageWriter = (writer: Writer, message: Record<string, unknown>) => void;

class Unsupported extends Error {}

const compiled = new Map<DescMessage, MessageWriter | null>();

/**
 * The encoded fields of deeply frozen messages, by identity (null for a frozen one with a part that
 * is not): such a message cannot change, and some are in every item of a page (the SDK's
 * `openTitle` action of each title is one deeply frozen object).
 */
const frozenBodies = new WeakMap<object, Uint8Array | null>();

function deeplyFrozen(value: object): boolean {
  if (!Object.isFrozen(value)) return false;
  for (const field of Object.values(value)) if (typeof field === "object" && field !== null && !deeplyFrozen(field)) return false;
  return true;
}

/** A sub-message field: its tag, then its length and fields (kept, when the message is frozen). */
function writeMessage(w: Writer, tag: number, write: MessageWriter, value: Record<string, unknown>): void {
  w.varint(tag);
  let keep = false;
  if (Object.isFrozen(value)) {
    const body = frozenBodies.get(value);
    if (body) {
      w.varint(body.length);
      w.bytes(body);
      return;
    }
    keep = body === undefined && deeplyFrozen(value);
    if (!keep) frozenBodies.set(value, null);
  }
  w.ensure(1);
  const start = ++w.pos;
  write(w, value);
  const length = w.pos - start;
  w.patchLength(start, length);
  if (keep) frozenBodies.set(value, w.copy("owned", w.pos - length));
}

const IMPLICIT = 2;

/**
 * A message's writer, generated as straight-line code over its fields in number order: one
 * property read and one test per field, with no call per field through a list of closures (a page
 * has about 6,000 fields). Null when the message has a field of a kind not covered.
 */
function compile(desc: DescMessage): MessageWriter | null {
  if (compiled.has(desc)) return compiled.get(desc)!;
  // While its fields are compiled, a message met again (a recursive one) is written through this.
  compiled.set(desc, (w, message) => {
    const write = compiled.get(desc);
    if (!write) throw new Unsupported();
    write(w, message);
  });
  const subs: MessageWriter[] = [];
  let body = "if (m.$unknown !== undefined && m.$unknown.length > 0) throw new Unsupported();\nlet v;\n";
  try {
    for (const field of [...desc.fields].sort((a, b) => a.number - b.number)) body += fieldCode(field, subs);
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    compiled.set(desc, null);
    return null;
  }
  const factory = new Function("subs", "writeMessage", "Unsupported", `return function write(w, m) {\n${body}};`) as (
    subs: MessageWriter[],
    write: typeof writeMessage,
    unsupported: typeof Unsupported,
  ) => MessageWriter;
  const writer = factory(subs, writeMessage, Unsupported);
  compiled.set(desc, writer);
  return writer;
}

/** The statements writing `v`, the field's value, when it is set. */
function valueCode(field: DescField, subs: MessageWriter[]): string {
  const tag = (type: number) => (field.number << 3) | type;
  if (field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message")) {
    const sub = compile(field.message!);
    if (!sub) throw new Unsupported();
    subs.push(sub);
    return `writeMessage(w, ${tag(2)}, subs[${subs.length - 1}], v);`;
  }
  if (field.fieldKind === "enum") return `w.varint(${tag(0)}); w.int32(v);`;
  if (field.fieldKind !== "scalar") throw new Unsupported();
  switch (field.scalar) {
    case ScalarType.STRING:
      return `w.varint(${tag(2)}); w.string(v);`;
    case ScalarType.BOOL:
      return `w.varint(${tag(0)}); w.varint(v ? 1 : 0);`;
    case ScalarType.INT32:
      return `w.varint(${tag(0)}); w.int32(v);`;
    case ScalarType.UINT32:
      return `w.varint(${tag(0)}); w.varint(v >>> 0);`;
    default:
      throw new Unsupported();
  }
}

function fieldCode(field: DescField, subs: MessageWriter[]): string {
  const read = (name: string) => `m[${JSON.stringify(name)}]`;
  if (field.fieldKind === "map" || (field.fieldKind === "list" && field.listKind !== "message")) throw new Unsupported();
  const write = valueCode(field, subs);
  if (field.fieldKind === "list") return `for (v of ${read(field.localName)}) { ${write} }\n`;
  if (field.oneof) {
    return `v = ${read(field.oneof.localName)}; if (v.case === ${JSON.stringify(field.localName)}) { v = v.value; ${write} }\n`;
  }
  if (field.fieldKind === "message") return `v = ${read(field.localName)}; if (v !== undefined) { ${write} }\n`;
  if (field.presence !== IMPLICIT) throw new Unsupported();
  const zero =
    field.fieldKind === "enum"
      ? field.enum.values[0]!.number
      : field.scalar === ScalarType.STRING
        ? '""'
        : field.scalar === ScalarType.BOOL
          ? false
          : 0;
  return `v = ${read(field.localName)}; if (v !== ${zero} && v !== undefined) { ${write} }\n`;
}

const writer = new Writer();

/** The message's protobuf bytes, held as `holder` says. */
export function encodeMessage<Desc extends DescMessage>(
  schema: Desc,
  message: MessageShape<Desc>,
  holder: BytesHolder = "owned",
): Uint8Array {
  const encode = compile(schema);
  if (!encode) return toBinary(schema, message);
  writer.pos = 0;
  try {
    encode(writer, message as unknown as Record<string, unknown>);
  } catch (error) {
    if (error instanceof Unsupported) return toBinary(schema, message);
    throw error;
  }
  return writer.copy(holder);
}

/** The widget's protobuf bytes. */
export function encodeWidget(widget: Widget, holder: BytesHolder = "owned"): Uint8Array {
  return encodeMessage(WidgetSchema, widget, holder);
}

/** `Widget.logging` (field 5, wire type 2). */
const LOGGING_TAG = (5 << 3) | 2;

/**
 * `logging` as a Widget's field 5 record, to append to a widget's bytes: a message field met twice
 * is merged by decoders, so a page view's logging data adds to what the cached widget already
 * carries without re-encoding it.
 */
export function encodeLoggingRecord(logging: WidgetLogging): Uint8Array {
  const encode = compile(WidgetLoggingSchema)!;
  writer.pos = 0;
  writer.varint(LOGGING_TAG);
  writer.ensure(1);
  const start = ++writer.pos;
  encode(writer, logging as unknown as Record<string, unknown>);
  writer.patchLength(start, writer.pos - start);
  return writer.copy("pooled");
}
