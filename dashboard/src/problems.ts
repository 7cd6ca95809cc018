/** Validation problems from the server, keyed to where the editor shows them. */
import type { Problem } from "./types.ts";

/**
 * Splits a JSON path as servers write them — "variants[0].placements[2].config.limit",
 * "/variants/0/placements/2/config/limit" or "variants.0.placements.2.config.limit" — into segments.
 */
export function parsePath(path: string): (string | number)[] {
  const trimmed = path.trim().replace(/^\$\.?/, "");
  const parts = trimmed.startsWith("/")
    ? trimmed
        .slice(1)
        .split("/")
        .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    : trimmed
        .replace(/\[(\d+)\]/g, ".$1")
        .replace(/\["([^"]+)"\]/g, ".$1")
        .split(".");
  return parts.filter((part) => part !== "").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function pathKey(path: readonly (string | number)[]): string {
  return path.join(".");
}

/** The problems under `prefix`, with their paths made relative to it. */
export function problemsUnder(problems: readonly Problem[], prefix: readonly (string | number)[]): Problem[] {
  return problems
    .filter((problem) => prefix.every((segment, i) => problem.path[i] === segment))
    .map((problem) => ({ path: problem.path.slice(prefix.length), message: problem.message }));
}

/** The messages of problems exactly at `path`. */
export function messagesAt(problems: readonly Problem[], path: readonly (string | number)[]): string[] {
  const key = pathKey(path);
  return problems.filter((problem) => pathKey(problem.path) === key).map((problem) => problem.message);
}

export function describePath(path: readonly (string | number)[]): string {
  return path
    .map((segment) => (typeof segment === "number" ? `[${segment}]` : `.${segment}`))
    .join("")
    .replace(/^\./, "");
}
