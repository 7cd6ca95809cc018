/**
 * Requests Connect could not read. connect-es reads and decodes a request message before any
 * interceptor or handler runs, and reports junk bytes, bad base64 or a compression it cannot undo
 * as `internal`: the client's fault reported as the server's. This names them as what they are.
 */
import { Code, ConnectError } from "@connectrpc/connect";

/** The error to answer for a request whose message could not be read, given connect-es's. */
export function connectInputError(error: ConnectError, method: string): ConnectError {
  if (error.code === Code.ResourceExhausted) {
    return new ConnectError(`the ${method} request message is too large: ${error.rawMessage}`, Code.ResourceExhausted);
  }
  // Unimplemented: connect-es's word for a stream without its one request message.
  if ([Code.Internal, Code.Unknown, Code.InvalidArgument, Code.Unimplemented].includes(error.code)) {
    const detail = error.rawMessage === "internal error" ? "not a valid message (bad base64, envelope or encoding)" : error.rawMessage;
    return new ConnectError(`could not read the ${method} request message: ${detail}`, Code.InvalidArgument);
  }
  return error;
}
