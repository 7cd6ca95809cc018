/** Errors of the layout API: an HTTP status, a stable code, a message, and a refused layout's problems. */
import { Code } from "@connectrpc/connect";

export interface Problem {
  /** JSON path in the layout document, e.g. "variants[0].placements[2].config.limit". */
  path: string;
  message: string;
}

export class LayoutError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: readonly Problem[];
  constructor(status: number, code: string, message: string, problems: readonly Problem[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems;
  }
}

export const invalidLayout = (problems: readonly Problem[]) =>
  new LayoutError(
    400,
    "invalid-layout",
    `the layout has ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.map((p) => `${p.path || "(layout)"}: ${p.message}`).join("; ")}`,
    problems,
  );
export const invalidArgument = (name: string, problem: string) => new LayoutError(400, "invalid-parameter", `${name}: ${problem}`);
export const unauthenticated = (message: string) => new LayoutError(401, "unauthenticated", message);
export const forbidden = (message: string) => new LayoutError(403, "forbidden", message);
export const pageNotFound = (pageId: string) => new LayoutError(404, "not-found", `page "${pageId}" does not exist`);
export const conflict = (message: string) => new LayoutError(409, "conflict", message);

/** An error of the layout API, or of the start-up's preview function, as {status, code, message}. */
export function asHttpError(error: unknown): { status: number; code: string; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, code } = error as Error & { status?: unknown; code?: unknown };
  return typeof status === "number" && status >= 400 && status < 600 && typeof code === "string"
    ? { status, code, message: error.message }
    : undefined;
}

export function connectCode(status: number): Code {
  switch (status) {
    case 400: return Code.InvalidArgument;
    case 401: return Code.Unauthenticated;
    case 403: return Code.PermissionDenied;
    case 404: return Code.NotFound;
    case 409: return Code.Aborted;
    case 429: return Code.ResourceExhausted;
    case 501: return Code.Unimplemented;
    case 503: return Code.Unavailable;
    default: return Code.Internal;
  }
}
