/**
 * Every problem of a layout, each at its JSON path in the layout document: the model's shape,
 * widgets the registry does not know, configs their widget's schema refuses, template versions
 * that do not exist or are retired, invalid version ranges, and variants or placements that can
 * never apply.
 */
import semver from "semver";
import type { z } from "zod";
import type { WidgetRegistry } from "../widget-registry/registry.ts";
import { LAYOUT_MAX_DEPTH, nestsDeeperThan } from "./depth.ts";
import type { Problem } from "../api/errors.ts";
import { pageLayoutSchema, type PageLayout } from "./model.ts";
import { parameterValueProblem, PARAMETER_KINDS, type ParameterKind } from "./page-parameters.ts";
import { REQUEST_PARAMETERS } from "../widget-registry/request-dimensions.ts";

/** Names a page parameter cannot take: the request's own. */
const RESERVED_NAMES = new Set<string>(["pageId", "parameters", ...REQUEST_PARAMETERS]);

export interface Validation {
  /** The parsed layout, defaults applied, when there is no problem. */
  layout?: PageLayout;
  problems: Problem[];
}

type Path = ReadonlyArray<PropertyKey>;

/** ["variants", 0, "placements", 2, "config", "limit"] → "variants[0].placements[2].config.limit". */
export function jsonPath(path: Path): string {
  return path.map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join("");
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const arrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function zodProblems(error: z.ZodError, prefix: Path): Problem[] {
  return error.issues.map((issue) => ({ path: jsonPath([...prefix, ...issue.path]), message: issue.message }));
}

function windowProblem(window: unknown): string | undefined {
  if (!isObject(window) || typeof window.from !== "string" || typeof window.until !== "string") return undefined;
  const from = Date.parse(window.from);
  const until = Date.parse(window.until);
  if (Number.isNaN(from) || Number.isNaN(until) || until > from) return undefined;
  return `until (${window.until}) is not after from (${window.from}): the window is empty`;
}

function rangeProblem(range: unknown): string | undefined {
  if (typeof range !== "string") return undefined;
  if (range.trim() === "") return 'must be a semver range such as ">=5.0.0", not empty';
  const valid = semver.validRange(range);
  if (valid === null) return `"${range}" is not a semver range (e.g. ">=5.0.0" or "<4.0.0")`;
  let lowest: semver.SemVer | null = null;
  try {
    lowest = semver.minVersion(valid);
  } catch {
    lowest = null;
  }
  return lowest === null ? `no client version satisfies "${range}": the variant can never match` : undefined;
}

/** The conditions of a match, normalized so that equal conditions compare equal. */
function conditionKey(match: unknown): string {
  if (!isObject(match)) return "{}";
  const normalized = Object.entries(match)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => [key, Array.isArray(value) ? [...value].map(String).sort() : value] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(normalized);
}

function placementProblems(placement: unknown, at: Path, registry: WidgetRegistry): Problem[] {
  if (!isObject(placement)) return [];
  const problems: Problem[] = [];
  const scheduleProblem = windowProblem(placement.schedule);
  if (scheduleProblem) problems.push({ path: jsonPath([...at, "schedule"]), message: `${scheduleProblem}; the placement is never shown` });
  if (placement.essential === true && placement.deferred === true) {
    problems.push({ path: jsonPath([...at, "deferred"]), message: "an essential placement cannot be deferred: the page must hold it" });
  }
  if (typeof placement.type !== "string") return problems;
  const binder = registry.get(placement.type);
  if (!binder) {
    const known = registry
      .list()
      .map((b) => b.type)
      .join(", ");
    problems.push({ path: jsonPath([...at, "type"]), message: `unknown widget type "${placement.type}"; known: ${known}` });
    return problems;
  }
  const pinned = placement.templateVersion;
  if (typeof pinned === "string" && pinned !== "newest") {
    const template = binder.templates.find((t) => t.version === pinned);
    const versions = binder.templates.map((t) => t.version).join(", ");
    if (!template)
      problems.push({
        path: jsonPath([...at, "templateVersion"]),
        message: `"${placement.type}" has no template version "${pinned}"; it has ${versions}, or "newest"`,
      });
    else if (template.status === "retired")
      problems.push({
        path: jsonPath([...at, "templateVersion"]),
        message: `template ${pinned} of "${placement.type}" is retired: no client is served it`,
      });
  }
  const config = placement.config ?? {};
  const parsed = binder.configSchema.safeParse(config);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, [...at, "config"]));
  return problems;
}

function parameterProblems(parameters: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  arrayOf(parameters).forEach((parameter, index) => {
    if (!isObject(parameter) || typeof parameter.name !== "string") return;
    const at = `parameters[${index}]`;
    if (RESERVED_NAMES.has(parameter.name))
      problems.push({ path: `${at}.name`, message: `"${parameter.name}" is a parameter of every page request; name it otherwise` });
    const first = seen.get(parameter.name);
    if (first !== undefined)
      problems.push({ path: `${at}.name`, message: `"${parameter.name}" is already the name of parameters[${first}]` });
    else seen.set(parameter.name, index);
    if (typeof parameter.example === "string" && typeof parameter.kind === "string" && parameter.kind in PARAMETER_KINDS) {
      const problem = parameterValueProblem(parameter.kind as ParameterKind, parameter.example);
      if (problem) problems.push({ path: `${at}.example`, message: problem });
    }
  });
  return problems;
}

function variantProblems(variant: unknown, index: number, registry: WidgetRegistry): Problem[] {
  if (!isObject(variant)) return [];
  const at = ["variants", index];
  const problems: Problem[] = [];
  if (isObject(variant.match)) {
    const range = rangeProblem(variant.match.clientVersion);
    if (range) problems.push({ path: jsonPath([...at, "match", "clientVersion"]), message: range });
    const schedule = windowProblem(variant.match.schedule);
    if (schedule) problems.push({ path: jsonPath([...at, "match", "schedule"]), message: `${schedule}; the variant can never match` });
  }
  const seen = new Map<string, number>();
  arrayOf(variant.placements).forEach((placement, position) => {
    const placementAt = [...at, "placements", position];
    problems.push(...placementProblems(placement, placementAt, registry));
    if (!isObject(placement) || typeof placement.instanceId !== "string") return;
    const first = seen.get(placement.instanceId);
    if (first !== undefined)
      problems.push({
        path: jsonPath([...placementAt, "instanceId"]),
        message: `"${placement.instanceId}" is already the instance id of placements[${first}]`,
      });
    else seen.set(placement.instanceId, position);
  });
  return problems;
}

export function validateLayout(raw: unknown, registry: WidgetRegistry, pageId?: string): Validation {
  if (nestsDeeperThan(raw, LAYOUT_MAX_DEPTH)) {
    return {
      problems: [
        { path: "", message: `the layout nests deeper than ${LAYOUT_MAX_DEPTH} levels (objects and arrays); it is not read further` },
      ],
    };
  }
  const problems: Problem[] = [];
  const parsed = pageLayoutSchema.safeParse(raw);
  if (!parsed.success) problems.push(...zodProblems(parsed.error, []));
  if (isObject(raw)) {
    if (pageId !== undefined && typeof raw.pageId === "string" && raw.pageId !== pageId) {
      problems.push({ path: "pageId", message: `is "${raw.pageId}" but the layout is saved as page "${pageId}"` });
    }
    problems.push(...parameterProblems(raw.parameters));
    const ids = new Map<string, number>();
    const conditions = new Map<string, number>();
    arrayOf(raw.variants).forEach((variant, index) => {
      problems.push(...variantProblems(variant, index, registry));
      if (!isObject(variant)) return;
      if (typeof variant.id === "string") {
        const first = ids.get(variant.id);
        if (first !== undefined)
          problems.push({ path: `variants[${index}].id`, message: `"${variant.id}" is already the id of variants[${first}]` });
        else ids.set(variant.id, index);
      }
      const key = conditionKey(variant.match);
      const shadowing = conditions.get(key);
      if (shadowing !== undefined)
        problems.push({
          path: `variants[${index}].match`,
          message: `variants[${shadowing}] has the same conditions and comes first: this variant can never be chosen`,
        });
      else conditions.set(key, index);
    });
  }
  const unique = [...new Map(problems.map((p) => [`${p.path}\n${p.message}`, p])).values()];
  return unique.length === 0 && parsed.success ? { layout: parsed.data, problems: [] } : { problems: unique };
}
