/** Sends a fuzz request as it is (node:http and node:http2, which check little) and reads the whole answer. */
import { Agent, request as httpRequest } from "node:http";
import { connect, type ClientHttp2Session } from "node:http2";
import type { FuzzRequest } from "./surfaces.ts";

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** gRPC trailers (HTTP/2). */
  trailers: Record<string, string | string[] | undefined>;
}

export interface Sender {
  send(request: FuzzRequest): Promise<FuzzResponse>;
  close(): void;
}

export function createSender(options: { port: number; h2Port: number; timeoutMs: number }): Sender {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const sessions = new Set<ClientHttp2Session>();

  function sendHttp1(request: FuzzRequest): Promise<FuzzResponse> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port: options.port,
          method: request.method,
          path: request.path,
          headers: request.headers,
          agent,
          timeout: options.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), trailers: res.trailers }),
          );
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
      req.on("error", reject);
      req.end(request.body);
    });
  }

  function sendHttp2(request: FuzzRequest): Promise<FuzzResponse> {
    // A session of its own: a hostile request may get its whole session refused (GOAWAY), not only its stream.
    const session = connect(`http://127.0.0.1:${options.h2Port}`);
    session.on("error", () => {});
    sessions.add(session);
    const done = () => {
      sessions.delete(session);
      session.close();
    };
    return new Promise<FuzzResponse>((resolve, reject) => {
      const stream = session.request({ ":method": request.method, ":path": request.path, ...request.headers });
      stream.setTimeout(options.timeoutMs, () => stream.close());
      let status = 0;
      let headers: FuzzResponse["headers"] = {};
      let trailers: FuzzResponse["trailers"] = {};
      const chunks: Buffer[] = [];
      stream.on("response", (h) => {
        status = Number(h[":status"]);
        headers = h;
      });
      stream.on("trailers", (t) => (trailers = t));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => resolve({ status, headers, body: Buffer.concat(chunks), trailers }));
      stream.on("error", reject);
      stream.end(request.body);
    }).finally(done);
  }

  return {
    send: (request) => (request.h2 ? sendHttp2(request) : sendHttp1(request)),
    close() {
      agent.destroy();
      for (const session of sessions) session.destroy();
    },
  };
}
