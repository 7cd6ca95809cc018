/**
 * A TCP link to a server that a test can hold: while held, what the server sends stays unread (TCP
 * flow control bounds it) and is delivered, in order, on release; what the client sends passes.
 * Puts a process behind on what it follows from the server (the DDS process on its Redis) while the
 * process itself runs on.
 */
import { connect, createServer, type Socket } from "node:net";

export interface HeldLink {
  /** Where clients connect instead of the server. */
  port: number;
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export async function startHeldLink(target: { host: string; port: number }): Promise<HeldLink> {
  const upstreams = new Set<Socket>();
  let held = false;
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    upstreams.add(upstream);
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => client.write(chunk));
    if (held) upstream.pause();
    const end = () => {
      upstreams.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) socket.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    hold() {
      held = true;
      for (const upstream of upstreams) upstream.pause();
    },
    release() {
      held = false;
      for (const upstream of upstreams) upstream.resume();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const upstream of upstreams) upstream.destroy();
        server.close(() => resolve());
      }),
  };
}
