/**
 * The one error type of Tessera's APIs (pages, layouts, the user's writes) and its catalogue: an HTTP
 * status, a stable code clients may switch on, a message naming what is wrong, and a refused layout's
 * problems. The HTTP error handler and the Connect interceptor (this folder) are the only places that
 * turn it into a response.
 */
import { Code } from "@connectrpc/connect";

export interface Problem {
  /** JSON path in the layout document, e.g. "variants[0].placements[2].config.limit". */
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problems: readonly Problem[];
  /** Response headers the answer carries (e.g. Retry-After). */
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    status: number,
    code: string,
    message: string,
    problems: readonly Problem[] = [],
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.problems = problems;
    this.headers = headers;
  }
}

export const invalidParameter = (name: string, problem: string) => new ApiError(400, "invalid-parameter", `${name}: ${problem}`);
export const invalidLayout = (problems: readonly Problem[]) =>
  new ApiError(
    400,
    "invalid-layout",
    `the layout has ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${problems.map((p) => `${p.path || "(layout)"}: ${p.message}`).join("; ")}`,
    problems,
  );
export const unauthenticated = (message: string) => new ApiError(401, "unauthenticated", message);
export const forbidden = (message: string) => new ApiError(403, "forbidden", message);
export const notFound = (message: string) => new ApiError(404, "not-found", message);
export const pageNotFound = (pageId: string) => notFound(`page "${pageId}" does not exist`);
export const conflict = (message: string) => new ApiError(409, "conflict", message);
/** A request body over `limitBytes`: refused as soon as it is exceeded. */
export const bodyTooLarge = (limitBytes: number) => new ApiError(413, "body-too-large", `the request body exceeds ${limitBytes} bytes`);
/** A body of a content type the route does not read; `accepted` names the ones it does. */
export const unsupportedMediaType = (contentType: string | undefined, accepted: readonly string[]) =>
  new ApiError(
    415,
    "unsupported-media-type",
    `${contentType ? `content type "${contentType.slice(0, 100)}" is not read here` : "the request names no content type"}; send ${accepted.join(" or ")}`,
  );
/** A body in a content encoding (compression) the route does not read. */
export const unsupportedEncoding = (encoding: string) =>
  new ApiError(415, "unsupported-media-type", `content encoding "${encoding.slice(0, 100)}" is not read here; send the body uncompressed`);
export const rateLimited = (status: number, message: string) => new ApiError(status, "rate-limited", message);
export const notImplemented = (message: string) => new ApiError(501, "not-implemented", message);
/** Refused at once because the server has more work than it can do well; to be asked again after `retryAfterSeconds`. */
export const overloaded = (message: string, retryAfterSeconds: number) =>
  new ApiError(503, "overloaded", message, [], { "retry-after": String(retryAfterSeconds) });
/** Data a write needs cannot be had right now (its DDS failed, timed out or is cut off); to be sent again after 1 s. */
export const dataUnavailable = (message: string) => new ApiError(503, "data-unavailable", message, [], { "retry-after": "1" });
/** A browser app's files are asked for before its build has been made (`npm run <script>` makes it). */
export const notBuilt = (app: string, script: string) =>
  new ApiError(503, `${app}-not-built`, `the ${app} is not built: run npm run ${script}`);
export const keysUnavailable = () => new ApiError(503, "keys-unavailable", "the keys that verify tokens cannot be fetched; try again");

/** What any other error answers: its stack and message stay in the log. */
export const INTERNAL = { code: "internal", message: "internal error; the request id is in the logs" } as const;

/** The Connect code of an HTTP status. */
export function connectCode(status: number): Code {
  switch (status) {
    case 400:
      return Code.InvalidArgument;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.NotFound;
    case 408:
      return Code.DeadlineExceeded;
    case 409:
      return Code.Aborted;
    case 413:
    case 429:
    case 431:
      return Code.ResourceExhausted;
    case 501:
      return Code.Unimplemented;
    case 503:
      return Code.Unavailable;
    default:
      return status < 500 ? Code.InvalidArgument : Code.Internal;
  }
}
