/**
 * A page request's page parameters (layout-service/model.ts `parameters`), validated against the
 * page's layout: each one it takes, named once, with a value of its kind; nothing it does not take.
 */
import { invalidParameter } from "../../api/errors.ts";
import type { PageParameterSpec } from "../../layout-service/model.ts";
import { parameterValueProblem } from "../../layout-service/page-parameters.ts";

/** A parameter as sent: a query parameter (an array when repeated) or a GetPageRequest.parameters entry. */
export interface RawParameter {
  name: string;
  value: string | readonly string[];
}

/** Longest name echoed back in an error: a client's made-up name is cut, not reflected whole. */
const shown = (name: string) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);

const takes = (specs: readonly PageParameterSpec[]) =>
  specs.length === 0 ? "it takes none" : `it takes ${specs.map((spec) => spec.name).join(", ")}`;

/** The page's parameters by name, or a 400 invalid-parameter naming the first wrong one. */
export function pageParameters(
  pageId: string,
  specs: readonly PageParameterSpec[],
  given: readonly RawParameter[],
): Record<string, string> {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const values: Record<string, string> = {};
  for (const { name, value } of given) {
    const spec = byName.get(name);
    if (!spec) throw invalidParameter(shown(name), `is not a parameter of page "${pageId}" (${takes(specs)})`);
    if (typeof value !== "string" || Object.hasOwn(values, name)) throw invalidParameter(name, "is given more than once");
    const problem = parameterValueProblem(spec.kind, value);
    if (problem) throw invalidParameter(name, problem);
    values[name] = value;
  }
  for (const spec of specs) if (!Object.hasOwn(values, spec.name)) throw invalidParameter(spec.name, `is required by page "${pageId}"`);
  return values;
}

/** A preview's parameters: each one's example (none for a parameter without one). */
export function exampleParameters(specs: readonly PageParameterSpec[]): Record<string, string> {
  return Object.fromEntries(specs.flatMap((spec) => (spec.example === undefined ? [] : [[spec.name, spec.example]])));
}
