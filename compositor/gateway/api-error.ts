/** An error the API answers with: an HTTP status, a stable code, and a message naming what is wrong. */
import { Code } from "@connectrpc/connect";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const invalidParameter = (name: string, problem: string) =>
  new ApiError(400, "invalid-parameter", `${name}: ${problem}`);
export const unauthenticated = (message: string) => new ApiError(401, "unauthenticated", message);
export const forbidden = (message: string) => new ApiError(403, "forbidden", message);
export const notFound = (message: string) => new ApiError(404, "not-found", message);

/** The Connect code of an HTTP status, for the RPC face of the same errors. */
export function connectCode(status: number): Code {
  switch (status) {
    case 400: return Code.InvalidArgument;
    case 401: return Code.Unauthenticated;
    case 403: return Code.PermissionDenied;
    case 404: return Code.NotFound;
    case 409: return Code.Aborted;
    case 429: return Code.ResourceExhausted;
    case 503: return Code.Unavailable;
    default: return Code.Internal;
  }
}
