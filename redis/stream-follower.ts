/**
 * Follows a Redis stream from its newest entry on, on a connection of its own (reads block):
 * every entry added after follow starts is handed over in order, across reconnections and
 * failovers, since reading resumes after the last entry seen. `resumed` is called whenever reading
 * (re)starts, so the caller can also compare its state with Redis for what a stream cannot replay:
 * entries trimmed away, or lost with a master that failed before its replica had them.
 */
import type { RedisClient } from "./client.ts";

export interface StreamHandlers {
  entry(id: string, fields: Record<string, string>): void;
  /** Reading starts or starts again after an error: whatever happened meanwhile may need a look. */
  resumed?(): void;
  error(error: unknown): void;
}

export interface FollowOptions {
  /** How long one read waits for new entries before it asks again. */
  blockMs?: number;
  /** Entries per read at most. */
  batch?: number;
  /** Pause after a failed read. */
  retryMs?: number;
}

export interface StreamFollower {
  /** Stops reading and closes the connection. */
  stop(): void;
}

const fieldsOf = (flat: string[]) => {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
};

/** `connection` is the follower's own: it is closed by stop(). */
export function followStream(connection: RedisClient, key: string, handlers: StreamHandlers, options: FollowOptions = {}): StreamFollower {
  const blockMs = options.blockMs ?? 5_000;
  let stopped = false;
  let last: string | undefined;

  async function read(): Promise<void> {
    let starting = true;
    while (!stopped) {
      try {
        if (starting) {
          const [newest] = await connection.xrevrange(key, "+", "-", "COUNT", 1);
          last ??= newest?.[0] ?? "0-0";
          starting = false;
          handlers.resumed?.();
        }
        const reply = await connection.xread("COUNT", options.batch ?? 100, "BLOCK", blockMs, "STREAMS", key, last!);
        for (const [, entries] of reply ?? []) {
          for (const [id, flat] of entries) {
            last = id;
            handlers.entry(id, fieldsOf(flat));
          }
        }
      } catch (error) {
        if (stopped) return;
        handlers.error(error);
        starting = true;
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 200));
      }
    }
  }

  void read();
  return {
    stop() {
      stopped = true;
      connection.disconnect();
    },
  };
}
