/**
 * Requests the server cannot read, or that would cost it too much, are refused with a 4xx
 * `{code, message}` (or the gRPC code) instead of an internal error, a 5xx or a hang.
 */
import { connect as connectH2, constants } from "node:http2";
import { connect as connectTcp } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import { gzipBomb } from "../fuzz/mutators.ts";
import { defaultParts, startTessera } from "../support/tessera.ts";

const GET_PAGE = "/tessera.page.v1.PageService/GetPage";

let http1: Tessera;
let http2: Tessera;
let baseUrl: string;
let grpcUrl: string;
beforeAll(async () => {
  const config = { ...defaultParts().config, requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 };
  http1 = await startTessera({ config });
  http2 = await startTessera({ config }, { http2: true });
  baseUrl = await http1.app.listen({ host: "127.0.0.1", port: 0 });
  grpcUrl = await http2.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await Promise.all([http1.app.close(), http2.app.close()]);
});

const post = (path: string, headers: Record<string, string>, body: Uint8Array | string) =>
  fetch(`${baseUrl}${path}`, { method: "POST", headers, body: typeof body === "string" ? body : Buffer.from(body) });
const envelope = (message: Uint8Array) => Buffer.concat([Buffer.from([0, 0, 0, 0, message.length]), message]);

describe("Connect messages that cannot be read", () => {
  it.each([
    ["junk bytes as binary", { "content-type": "application/proto" }, Uint8Array.of(0xff, 0xff, 0xff, 0x01, 0x02)],
    ["JSON that is not JSON", { "content-type": "application/json" }, "{nope"],
    ["junk with Content-Encoding: br", { "content-type": "application/json", "content-encoding": "br" }, "junkjunk"],
    ["junk with Content-Encoding: gzip", { "content-type": "application/json", "content-encoding": "gzip" }, "junkjunk"],
  ])("%s → 400 invalid_argument naming the message", async (_case, headers, body) => {
    const response = await post(GET_PAGE, headers, body);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: "invalid_argument", message: expect.stringMatching(/GetPage|GetPageRequest/) });
  });

  it("a Connect GET whose message is not base64 → 400 invalid_argument", async () => {
    const response = await fetch(`${baseUrl}${GET_PAGE}?connect=v1&encoding=proto&base64=1&message=%25%25%25`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_argument" });
  });

  it("a gRPC-Web frame that is not a message → grpc-status 3 (invalid argument)", async () => {
    const response = await post(GET_PAGE, { "content-type": "application/grpc-web+proto" }, envelope(Uint8Array.of(0xff, 0xff, 0xff)));
    expect(response.status).toBe(200);
    expect(response.headers.get("grpc-status")).toBe("3");
    expect(decodeURIComponent(response.headers.get("grpc-message")!)).toMatch(/could not read the GetPage request message/);
  });

  it("a gRPC frame that is not a message, on the h2c listener → grpc-status 3", async () => {
    const session = connectH2(grpcUrl);
    try {
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const stream = session.request({ ":method": "POST", ":path": GET_PAGE, "content-type": "application/grpc", te: "trailers" });
        let seen: Record<string, unknown> = {};
        stream.on("response", (h) => (seen = { ...h }));
        stream.on("trailers", (t) => (seen = { ...seen, ...t }));
        stream.on("end", () => resolve(seen));
        stream.on("error", reject);
        stream.resume();
        stream.end(envelope(Uint8Array.of(0xff, 0xff, 0xff)));
      });
      expect(headers["grpc-status"]).toBe("3");
    } finally {
      session.close();
    }
  });

  it("a StreamPage stream without its request message → 400 invalid_argument, not unimplemented", async () => {
    const response = await post(
      "/tessera.page.v1.PageService/StreamPage",
      { "content-type": "application/connect+proto" },
      new Uint8Array(),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_argument" });
  });
});

describe("sizes", () => {
  it("a 398 KB gzip body of 400 MB JSON whitespace to GetPage → 413, inflating no more than the limit", async () => {
    const bomb = gzipBomb(100);
    expect(bomb.length).toBeLessThan(420_000);
    const rssBefore = process.memoryUsage().rss;
    const response = await post(GET_PAGE, { "content-type": "application/json", "content-encoding": "gzip" }, bomb);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      code: "resource_exhausted",
      message: expect.stringContaining("GetPage request message is too large"),
    });
    // 400 MB inflated would show; the limit is 1 MiB.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  }, 30_000);

  it("a Connect body over the limit → 413 resource_exhausted", async () => {
    const response = await post(GET_PAGE, { "content-type": "application/json" }, `{"pageId":"${"x".repeat(2 * 1024 * 1024)}"}`);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ code: "resource_exhausted", message: expect.any(String) });
  });

  it("a bearer token over 8 KiB → 431 before anything verifies it, on the page route and over Connect", async () => {
    const authorization = `Bearer ${"a".repeat(9000)}`;
    const page = await fetch(`${baseUrl}/v1/pages/home?platform=web`, { headers: { authorization } });
    expect(page.status).toBe(431);
    expect(await page.json()).toEqual({ code: "token-too-large", message: expect.any(String) });
    const rpc = await post(GET_PAGE, { "content-type": "application/json", authorization }, "{}");
    expect(rpc.status).toBe(431);
    expect(await rpc.json()).toMatchObject({ code: "resource_exhausted" });
  });

  it("request headers over 16 KiB → 431 {code, message}", async () => {
    const response = await fetch(`${baseUrl}/v1/pages/home?platform=web`, { headers: { "x-junk": "j".repeat(20_000) } });
    expect(response.status).toBe(431);
    expect(await response.json()).toEqual({ code: "headers-too-large", message: expect.any(String) });
  });
});

describe("slow clients", () => {
  it("a client trickling its body is answered 408 and disconnected at the request deadline", async () => {
    const { port } = new URL(baseUrl);
    const socket = connectTcp(Number(port), "127.0.0.1");
    const trickle = setInterval(() => socket.write("a"), 100);
    socket.write(`POST /v1/me/progress/m12 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`);
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", () => {});
    });
    clearInterval(trickle);
    expect(answer).toMatch(/^HTTP\/1.1 408/);
    expect(answer).toContain('"code":"request-timeout"');
  });

  it("an HTTP/2 stream trickling its body is reset at the request deadline", async () => {
    const session = connectH2(grpcUrl);
    session.on("error", () => {});
    try {
      const stream = session.request({ ":method": "POST", ":path": GET_PAGE, "content-type": "application/grpc", te: "trailers" });
      const trickle = setInterval(() => stream.write(Uint8Array.of(0)), 100);
      const closed = await new Promise<number>((resolve) => {
        stream.on("close", () => resolve(stream.rstCode));
        stream.on("error", () => {});
        stream.resume();
      });
      clearInterval(trickle);
      expect(closed).toBe(constants.NGHTTP2_CANCEL);
    } finally {
      session.close();
    }
  });
});
