/** What no answer to any request may be: a 5xx, an internal error, a stack or path, an error without {code, message}. */
import type { FuzzRequest } from "./surfaces.ts";
import type { FuzzResponse } from "./send.ts";

const STACK_OR_PATH = /\n\s*at .+:\d+:\d+|node:internal|node_modules|file:\/\/|\/work\/|\/tmp\/|\.ts:\d+/;
/** gRPC's unknown, internal and data-loss: failures of the server, never the client's. */
const SERVER_GRPC_CODES = new Set(["2", "13", "15"]);
/** Files the dashboard serves: their text is code, not errors. */
const FILE_TYPES = /^(text\/javascript|text\/css|text\/html|image\/svg\+xml|application\/x-protobuf|application\/proto)/;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function errorShapeProblem(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { code?: unknown; message?: unknown };
    return typeof parsed.code === "string" && typeof parsed.message === "string" ? undefined : "error body without {code, message}";
  } catch {
    return "error body is not JSON";
  }
}

/** The problem with an answer, or undefined when it is acceptable. */
export function problemOf(request: FuzzRequest, response: FuzzResponse): string | undefined {
  if (response.status >= 500) return `${response.status}`;
  const grpcStatus = single(response.trailers["grpc-status"]) ?? single(response.headers["grpc-status"]);
  if (grpcStatus !== undefined && SERVER_GRPC_CODES.has(grpcStatus)) return `grpc-status ${grpcStatus}`;
  const contentType = single(response.headers["content-type"]) ?? "";
  const text = response.body.toString("latin1");
  if (!FILE_TYPES.test(contentType) || response.status >= 400) {
    const leaked = `${text}\n${decodeURIComponent(single(response.trailers["grpc-message"]) ?? single(response.headers["grpc-message"]) ?? "")}`;
    if (STACK_OR_PATH.test(leaked)) return "stack trace or internal path in the answer";
    if (/"code":"(internal|unknown)"|grpc-status: ?(2|13|15)\r\n/.test(text)) return "internal error in the body";
  }
  if (response.status >= 400 && request.method !== "HEAD") return errorShapeProblem(response.body);
  return undefined;
}
