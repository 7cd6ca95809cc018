/**
 * Where the server's log lines go: standard output, written in chunks of at least 8 KiB instead of
 * one write per line (a request logs two lines, and a write each cost about 7 % of an anonymous
 * page's CPU), and at least every 250 ms, so that a quiet server's lines are not held back longer.
 * The buffer is bounded: lines beyond 16 MiB not yet written are dropped rather than kept. What is
 * held is written before the process exits.
 */
import pino from "pino";

let destination: ReturnType<typeof pino.destination> | undefined;

export function logDestination(): ReturnType<typeof pino.destination> {
  if (destination) return destination;
  const created = pino.destination({ dest: 1, sync: true, minLength: 8 * 1024, maxLength: 16 * 1024 * 1024, periodicFlush: 250 });
  process.once("exit", () => created.flushSync());
  destination = created;
  return created;
}
