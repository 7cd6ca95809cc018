/**
 * A form generated from a widget's config JSON Schema (as zod exports it). Values keep their
 * JSON types; what cannot be parsed is kept as typed so the server names the problem at the field.
 */
import { useState } from "preact/hooks";
import { messagesAt, pathKey } from "../problems.ts";
import type { JsonSchema, Problem } from "../types.ts";

interface Props {
  schema: JsonSchema;
  value: Record<string, unknown>;
  /** Where the config is, e.g. ["config"]; `problems` are relative to the same root. */
  path: (string | number)[];
  problems: Problem[];
  disabled: boolean;
  idPrefix: string;
  onChange: (value: Record<string, unknown>) => void;
}

const humanize = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/[-_]/g, " ")
    .replace(/^./, (c) => c.toUpperCase());

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return "enum";
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (type) return type;
  if (schema.anyOf || schema.oneOf) return "json";
  return "json";
}

function hint(schema: JsonSchema, required: boolean): string {
  const parts: string[] = [];
  if (schema.description) parts.push(schema.description);
  if (schema.minimum !== undefined && schema.maximum !== undefined) parts.push(`${schema.minimum}–${schema.maximum}`);
  else if (schema.minimum !== undefined) parts.push(`at least ${schema.minimum}`);
  else if (schema.maximum !== undefined) parts.push(`at most ${schema.maximum}`);
  if (schema.maxLength !== undefined) parts.push(`up to ${schema.maxLength} characters`);
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  else if (!required) parts.push("optional");
  return parts.join(" · ");
}

/** A number as typed: a number when it is one, else the text itself, so the server can say why. */
function parseNumber(text: string): unknown {
  if (text.trim() === "") return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : text;
}

interface FieldProps {
  name: string;
  schema: JsonSchema;
  value: unknown;
  required: boolean;
  path: (string | number)[];
  problems: Problem[];
  disabled: boolean;
  idPrefix: string;
  onChange: (value: unknown) => void;
}

function JsonField({
  id,
  value,
  invalid,
  describedBy,
  disabled,
  onChange,
}: {
  id: string;
  value: unknown;
  invalid: boolean;
  describedBy: string;
  disabled: boolean;
  onChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(value === undefined ? "" : JSON.stringify(value, null, 2));
  const [parseError, setParseError] = useState("");
  return (
    <>
      <textarea
        id={id}
        class="mono"
        rows={4}
        value={text}
        disabled={disabled}
        aria-invalid={invalid || parseError ? "true" : undefined}
        aria-describedby={describedBy}
        onInput={(event) => {
          const next = event.currentTarget.value;
          setText(next);
          if (next.trim() === "") return onChange(undefined);
          try {
            onChange(JSON.parse(next));
            setParseError("");
          } catch {
            setParseError("not valid JSON yet");
          }
        }}
      />
      {parseError && <span class="field-error">{parseError}</span>}
    </>
  );
}

function SchemaField({ name, schema, value, required, path, problems, disabled, idPrefix, onChange }: FieldProps) {
  const id = `${idPrefix}-${path.join("-")}`;
  const errors = messagesAt(problems, path);
  const invalid = errors.length > 0;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [invalid && errorId, hintId].filter(Boolean).join(" ");
  const label = schema.title ?? humanize(name);
  const type = typeOf(schema);
  const common = {
    id,
    disabled,
    "aria-invalid": invalid ? ("true" as const) : undefined,
    "aria-describedby": describedBy,
    name: pathKey(path),
  };

  if (type === "object" && schema.properties) {
    const object = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    return (
      <fieldset class="field-group" data-field={pathKey(path)}>
        <legend>{label}</legend>
        {errors.map((error) => (
          <span class="field-error" key={error}>
            {error}
          </span>
        ))}
        <ObjectFields
          schema={schema}
          value={object}
          path={path}
          problems={problems}
          disabled={disabled}
          idPrefix={idPrefix}
          onChange={onChange}
        />
      </fieldset>
    );
  }

  let control;
  if (type === "boolean") {
    control = <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />;
  } else if (type === "enum") {
    const options = schema.enum ?? [];
    const current = options.findIndex((option) => JSON.stringify(option) === JSON.stringify(value));
    control = (
      <select
        {...common}
        value={current < 0 ? "" : String(current)}
        onChange={(event) => onChange(event.currentTarget.value === "" ? undefined : options[Number(event.currentTarget.value)])}
      >
        {(!required || current < 0) && <option value="">{required ? "Choose…" : "(default)"}</option>}
        {options.map((option, i) => (
          <option key={i} value={String(i)}>
            {typeof option === "string" ? option : JSON.stringify(option)}
          </option>
        ))}
      </select>
    );
  } else if (type === "integer" || type === "number") {
    control = (
      <input
        {...common}
        type="text"
        inputMode={type === "integer" ? "numeric" : "decimal"}
        autoComplete="off"
        placeholder={schema.default !== undefined ? String(schema.default) : ""}
        value={value === undefined ? "" : String(value)}
        onInput={(event) => onChange(parseNumber(event.currentTarget.value))}
      />
    );
  } else if (type === "string") {
    control = (
      <input
        {...common}
        type="text"
        autoComplete="off"
        placeholder={typeof schema.default === "string" ? schema.default : ""}
        value={typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value)}
        onInput={(event) => onChange(event.currentTarget.value === "" && !required ? undefined : event.currentTarget.value)}
      />
    );
  } else if (type === "array" && schema.items?.enum) {
    const chosen = Array.isArray(value) ? value : [];
    control = (
      <span class="checks" id={id} role="group" aria-describedby={describedBy}>
        {schema.items.enum.map((option) => (
          <label key={String(option)} class="check">
            <input
              type="checkbox"
              disabled={disabled}
              checked={chosen.includes(option)}
              onChange={(event) => onChange(event.currentTarget.checked ? [...chosen, option] : chosen.filter((item) => item !== option))}
            />
            {String(option)}
          </label>
        ))}
      </span>
    );
  } else if (type === "array" && typeOf(schema.items ?? {}) === "string") {
    control = (
      <input
        {...common}
        type="text"
        placeholder="comma, separated"
        value={Array.isArray(value) ? value.join(", ") : ""}
        onInput={(event) => {
          const items = event.currentTarget.value
            .split(",")
            .map((item) => item.trim())
            .filter(Boolean);
          onChange(items.length ? items : undefined);
        }}
      />
    );
  } else {
    control = <JsonField id={id} value={value} invalid={invalid} describedBy={describedBy} disabled={disabled} onChange={onChange} />;
  }

  return (
    <div class={`field${invalid ? " has-error" : ""}${type === "boolean" ? " field-inline" : ""}`} data-field={pathKey(path)}>
      <label class="field-label" for={id}>
        {label}
        {required && (
          <span class="required" aria-label="required">
            *
          </span>
        )}
      </label>
      {control}
      {errors.map((error) => (
        <span class="field-error" id={errorId} key={error} role="alert">
          {error}
        </span>
      ))}
      <span class="field-hint" id={hintId}>
        {hint(schema, required)}
      </span>
    </div>
  );
}

function ObjectFields({
  schema,
  value,
  path,
  problems,
  disabled,
  idPrefix,
  onChange,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  path: (string | number)[];
  problems: Problem[];
  disabled: boolean;
  idPrefix: string;
  onChange: (value: Record<string, unknown>) => void;
}) {
  const properties = Object.entries(schema.properties ?? {});
  const known = new Set(properties.map(([name]) => name));
  const extra = Object.keys(value).filter((name) => !known.has(name));
  return (
    <>
      {properties.map(([name, field]) => (
        <SchemaField
          key={name}
          name={name}
          schema={field}
          value={value[name]}
          required={schema.required?.includes(name) ?? false}
          path={[...path, name]}
          problems={problems}
          disabled={disabled}
          idPrefix={idPrefix}
          onChange={(next) => {
            const updated = { ...value };
            if (next === undefined) delete updated[name];
            else updated[name] = next;
            onChange(updated);
          }}
        />
      ))}
      {extra.map((name) => (
        <div class="field has-error" key={name} data-field={pathKey([...path, name])}>
          <span class="field-label">{name}</span>
          <span class="field-error">
            Not a setting of this widget.{" "}
            {!disabled && (
              <button
                type="button"
                class="link"
                onClick={() => {
                  const updated = { ...value };
                  delete updated[name];
                  onChange(updated);
                }}
              >
                Remove it
              </button>
            )}
          </span>
        </div>
      ))}
    </>
  );
}

export function ConfigForm({ schema, value, path, problems, disabled, idPrefix, onChange }: Props) {
  const general = messagesAt(problems, path);
  if (!schema.properties || Object.keys(schema.properties).length === 0) {
    return <p class="muted">This widget has no settings.</p>;
  }
  return (
    <div class="config-form">
      {general.map((error) => (
        <p class="field-error" key={error}>
          {error}
        </p>
      ))}
      <ObjectFields
        schema={schema}
        value={value}
        path={path}
        problems={problems}
        disabled={disabled}
        idPrefix={idPrefix}
        onChange={onChange}
      />
    </div>
  );
}
