/**
 * The one Connect error mapping, as an interceptor of every Connect service: an ApiError becomes a
 * ConnectError with the code of its HTTP status and the same message, a refused layout's problems as
 * a `ValidationProblems` error detail; any other error a bare `internal` (logged by `onInternal`).
 *
 * connect-es decodes a unary request's body before the interceptors run (and answers an undecodable
 * one `Code.Internal`), so that mapping cannot be done here: connect-routes.ts does it (connect-input-errors.ts).
 */
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { ValidationProblemsSchema } from "../protos/gen/tessera/layout/v1/layout_pb.js";
import { ApiError, connectCode } from "./errors.ts";

export function toConnectError(error: unknown, onInternal: (error: unknown) => void): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof ApiError) {
    const details = error.problems.length > 0 ? [{ desc: ValidationProblemsSchema, value: { problems: [...error.problems] } }] : [];
    return new ConnectError(error.message, connectCode(error.status), error.headers, details);
  }
  onInternal(error);
  return new ConnectError("internal error", Code.Internal);
}

export function connectErrors(onInternal: (error: unknown) => void): Interceptor {
  const mapped = async function* <T>(messages: AsyncIterable<T>): AsyncIterable<T> {
    try {
      yield* messages;
    } catch (error) {
      throw toConnectError(error, onInternal);
    }
  };
  return (next) => async (request) => {
    try {
      const response = await next(request);
      return response.stream ? { ...response, message: mapped(response.message) } : response;
    } catch (error) {
      throw toConnectError(error, onInternal);
    }
  };
}
