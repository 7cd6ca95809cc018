/** An error the API answers with: an HTTP status, a stable code, and a message naming what is wrong. */
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

/** The Connect code of an HTTP status: one mapping for the page and the layout APIs. */
export { connectCode } from "../../layout-service/errors.ts";
