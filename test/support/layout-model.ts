/**
 * The layout model is declared once, in zod (layout-service/model.ts); tessera.layout.v1's layout
 * messages mirror it field for field. These walk both, so a test fails when they drift apart.
 */
import { ScalarType, type DescEnum, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { z } from "zod";

const NUMBERS = new Set([
  ScalarType.INT32,
  ScalarType.INT64,
  ScalarType.UINT32,
  ScalarType.UINT64,
  ScalarType.SINT32,
  ScalarType.SINT64,
  ScalarType.DOUBLE,
  ScalarType.FLOAT,
]);

/** The schema under `.optional()` and `.default()`: what a present value is. */
function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap() as z.ZodType;
  return inner;
}

/** What a proto field holds, once a list is seen through: a scalar, a message or an enum. */
type ProtoValue = { scalar: ScalarType } | { message: DescMessage } | { enum: DescEnum };

function valueOf(field: DescField): ProtoValue | undefined {
  if (field.fieldKind === "list") {
    if (field.listKind === "scalar") return { scalar: field.scalar };
    return field.listKind === "message" ? { message: field.message } : { enum: field.enum };
  }
  if (field.fieldKind === "scalar") return { scalar: field.scalar };
  if (field.fieldKind === "message") return { message: field.message };
  if (field.fieldKind === "enum") return { enum: field.enum };
  return undefined;
}

function valueMismatches(model: z.ZodType, value: ProtoValue, path: string): string[] {
  const kind = model.def.type;
  if ("message" in value) {
    if (value.message.typeName === "google.protobuf.Struct")
      return model instanceof z.ZodRecord ? [] : [`${path}: the model's ${kind} is not a record, as google.protobuf.Struct is`];
    return model instanceof z.ZodObject
      ? modelProtoMismatches(model, value.message, path)
      : [`${path}: the model's ${kind} is not an object, as ${value.message.typeName} is`];
  }
  if ("enum" in value)
    return model instanceof z.ZodEnum ? [] : [`${path}: the model's ${kind} is not an enum, as ${value.enum.typeName} is`];
  // By def.type: a string format such as z.iso.datetime() is a string without being a ZodString.
  const fits =
    value.scalar === ScalarType.STRING
      ? kind === "string" || (model instanceof z.ZodEnum && model.options.every((option) => typeof option === "string"))
      : value.scalar === ScalarType.BOOL
        ? kind === "boolean"
        : NUMBERS.has(value.scalar) && kind === "number";
  return fits ? [] : [`${path}: the model's ${kind} does not fit the proto's ${ScalarType[value.scalar].toLowerCase()}`];
}

/** Every field the model and the message do not share, or share with types that do not fit; [] when they mirror each other. */
export function modelProtoMismatches(model: z.ZodObject, message: DescMessage, path: string = message.name): string[] {
  const shape = model.shape as Record<string, z.ZodType>;
  const fields = new Map(message.fields.map((field) => [field.jsonName, field]));
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(shape)) {
    const field = fields.get(name);
    if (!field) {
      problems.push(`${path}.${name}: in the model, not in ${message.typeName}`);
      continue;
    }
    const inner = unwrap(schema);
    const value = valueOf(field);
    if (!value) problems.push(`${path}.${name}: ${message.typeName} holds a map, the model has no such field kind`);
    else if ((field.fieldKind === "list") !== inner instanceof z.ZodArray)
      problems.push(`${path}.${name}: a list in only one of the model and ${message.typeName}`);
    else
      problems.push(...valueMismatches(inner instanceof z.ZodArray ? unwrap(inner.element as z.ZodType) : inner, value, `${path}.${name}`));
  }
  for (const name of fields.keys()) if (!(name in shape)) problems.push(`${path}.${name}: in ${message.typeName}, not in the model`);
  return problems;
}

/** The dotted paths of every field the model declares, e.g. "variants.match.schedule.from" (records are leaves). */
export function modelFieldPaths(model: z.ZodType, prefix = ""): string[] {
  const inner = unwrap(model);
  if (inner instanceof z.ZodArray) return modelFieldPaths(inner.element as z.ZodType, prefix);
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([name, schema]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return [path, ...modelFieldPaths(schema, path)];
  });
}

/** The dotted paths of every field a JSON document sets, arrays seen through. */
export function documentFieldPaths(document: unknown, prefix = ""): string[] {
  if (Array.isArray(document)) return document.flatMap((element) => documentFieldPaths(element, prefix));
  if (document === null || typeof document !== "object") return [];
  return Object.entries(document).flatMap(([name, value]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return [path, ...documentFieldPaths(value, path)];
  });
}
