/** Errors a DDS answers with; Connect carries them to remote callers with their code. */
import { Code, ConnectError } from "@connectrpc/connect";

export function invalidArgument(field: string, problem: string): ConnectError {
  return new ConnectError(`${field} ${problem}`, Code.InvalidArgument);
}
