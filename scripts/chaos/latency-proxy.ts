/**
 * A TCP proxy that holds back what the server answers by a delay it is told on stdin (one number of
 * ms per line), so that `npm run chaos` can make the DDS slow and fast again under load without
 * restarting anything. Listens on a free port and prints it on stdout; PROXY_TARGET is host:port.
 */
import { connect, createServer, type Socket } from "node:net";

const [targetHost, targetPort] = (process.env.PROXY_TARGET ?? "").split(":");
let delayMs = 0;
process.stdin.setEncoding("utf8").on("data", (text: string) => {
  for (const line of text.split("\n")) if (line.trim()) delayMs = Number(line);
});

/** Writes what `from` sends to `to` `delayMs` after it arrived, in order; ends `to` after the last of it. */
function delayed(from: Socket, to: Socket): void {
  const queue: Array<{ due: number; chunk: Buffer | null }> = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.due <= now) {
      const { chunk } = queue.shift()!;
      if (chunk === null) to.end();
      else if (!to.destroyed) to.write(chunk);
    }
    if (queue.length > 0) timer = setTimeout(pump, queue[0]!.due - now);
  };
  const push = (chunk: Buffer | null) => {
    // Never before what came earlier: the delay may have come down meanwhile.
    queue.push({ due: Math.max(performance.now() + delayMs, queue.at(-1)?.due ?? 0), chunk });
    if (!timer) pump();
  };
  from.on("data", (chunk: Buffer) => push(chunk));
  from.on("end", () => push(null));
}

const server = createServer((client) => {
  const upstream = connect(Number(targetPort), targetHost);
  client.pipe(upstream);
  delayed(upstream, client);
  upstream.on("error", () => client.destroy());
  client.on("error", () => upstream.destroy());
  client.on("close", () => upstream.destroy());
});
server.listen(0, "127.0.0.1", () => console.log((server.address() as { port: number }).port));
