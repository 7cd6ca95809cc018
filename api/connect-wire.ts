/**
 * Connect errors on the wire of each protocol: read one out of a response connect-es made, and
 * write one for a request that never reached connect-es (refused by a hook or while its body was read).
 */
import { ConnectError } from "@connectrpc/connect";
import type { UniversalServerResponse } from "@connectrpc/connect/protocol";
import {
  codeFromHttpStatus,
  codeToHttpStatus,
  codeToString,
  endStreamFromJson,
  errorFromJsonBytes,
} from "@connectrpc/connect/protocol-connect";
import { findTrailerError } from "@connectrpc/connect/protocol-grpc";
import { trailerFlag, trailerParse } from "@connectrpc/connect/protocol-grpc-web";
import type { FastifyReply } from "fastify";

export type RpcProtocol = "connect" | "grpc" | "grpc-web";

export function rpcProtocolOf(contentType: string | undefined): RpcProtocol {
  if (contentType?.startsWith("application/grpc-web")) return "grpc-web";
  if (contentType?.startsWith("application/grpc")) return "grpc";
  return "connect";
}

/** The last envelope of enveloped bytes (Connect streaming, gRPC-Web), with its flags. */
function lastEnvelope(bytes: Uint8Array): { flags: number; data: Uint8Array } | undefined {
  let last: { flags: number; data: Uint8Array } | undefined;
  for (let at = 0; at + 5 <= bytes.length;) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at + 1, 4).getUint32(0);
    last = { flags: bytes[at]!, data: bytes.subarray(at + 5, at + 5 + length) };
    at += 5 + length;
  }
  return last;
}

async function allBytes(body: AsyncIterable<Uint8Array> | undefined): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body ?? []) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The error a response of connect-es carries, if any, and the response to send when it carries none
 * (its body, read to find out, put back).
 */
export async function responseError(
  response: UniversalServerResponse,
  protocol: RpcProtocol,
): Promise<{ error?: ConnectError; response: UniversalServerResponse }> {
  const bytes = await allBytes(response.body);
  const again = {
    ...response,
    body: (async function* () {
      yield bytes;
    })(),
  };
  const statusError = () => new ConnectError(`HTTP ${response.status}`, codeFromHttpStatus(response.status));
  if (response.status !== 200) {
    if (protocol === "connect" && bytes.length > 0) return { error: errorFromJsonBytes(bytes, undefined, statusError()), response: again };
    return { error: statusError(), response: again };
  }
  const trailers = protocol === "grpc" ? [response.trailer, response.header] : [response.header];
  for (const headers of trailers) {
    const error = headers && findTrailerError(headers);
    if (error) return { error, response: again };
  }
  const last = lastEnvelope(bytes);
  if (protocol === "grpc-web" && last && (last.flags & trailerFlag) === trailerFlag)
    return { error: findTrailerError(trailerParse(last.data)), response: again };
  if (protocol === "connect" && last && (last.flags & 0b10) === 0b10) {
    return { error: endStreamFromJson(last.data).error, response: again };
  }
  return { response: again };
}

/**
 * Answers a request with an error in its protocol: Connect as HTTP status + `{code, message}`, gRPC and
 * gRPC-Web as a trailers-only response. `status` is the HTTP status for Connect (the code's by default).
 */
export function sendRpcError(
  reply: FastifyReply,
  protocol: RpcProtocol,
  error: ConnectError,
  status = codeToHttpStatus(error.code),
): FastifyReply {
  if (protocol === "connect") {
    return reply
      .code(status)
      .type("application/json")
      .send({ code: codeToString(error.code), message: error.rawMessage });
  }
  return reply
    .code(200)
    .header("content-type", protocol === "grpc" ? "application/grpc" : "application/grpc-web+proto")
    .header("grpc-status", String(error.code))
    .header("grpc-message", encodeURIComponent(error.rawMessage))
    .send();
}
