/**
 * The gRPC listener describes itself: reflection (v1 and v1alpha) lets a client that has no .proto
 * files list and call the services (buf curl, as an operator would use it), and the health service
 * answers as /readyz does, per service, with Watch ending when the server stops.
 */
import { create, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { execFile } from "node:child_process";
import { connect } from "node:http2";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaticLayoutSource } from "../../compositor/layouts/static-source.ts";
import type { Tessera } from "../../compositor/server.ts";
import { Health, HealthCheckResponse_ServingStatus as Status } from "../../protos/gen/grpc/health/v1/health_pb.js";
import * as v1alpha from "../../protos/gen/grpc/reflection/v1alpha/reflection_pb.js";
import { startTessera } from "../support/tessera.ts";

const BUF = join(import.meta.dirname, "../../node_modules/.bin/buf");

/** `buf curl` over gRPC (h2c), resolving the schema by reflection: no .proto files given. */
async function bufCurl(url: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(BUF, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args, url], {
    timeout: 30_000,
  });
  return stdout;
}

/** A gRPC call of raw bytes over its own HTTP/2 session: its grpc-status and grpc-message, once the session has closed. */
async function rawGrpc(url: string, path: string, body: Uint8Array, headers: Record<string, string> = {}) {
  const session = connect(url);
  session.on("error", () => {});
  try {
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers", ...headers });
    stream.setTimeout(20_000, () => stream.close());
    const status: Record<string, string> = {};
    const note = (fields: Record<string, unknown>) => {
      for (const name of ["grpc-status", "grpc-message"])
        if (fields[name] !== undefined) status[name] = decodeURIComponent(String(fields[name]));
    };
    stream
      .on("response", note)
      .on("trailers", note)
      .on("data", () => {});
    stream.on("error", () => {});
    stream.end(body);
    await new Promise((resolve) => stream.once("close", resolve));
    return status;
  } finally {
    // Closes once the server has let go of the stream too: a stream it left holding unread bytes never would.
    await new Promise((resolve) => session.close(() => resolve(undefined)));
  }
}

const envelope = (message: Uint8Array, flags = 0) => {
  const framed = new Uint8Array(5 + message.length);
  framed[0] = flags;
  new DataView(framed.buffer).setUint32(1, message.length);
  framed.set(message, 5);
  return framed;
};

let server: Tessera;
let grpcUrl: string;
beforeAll(async () => {
  server = await startTessera({}, { http2: true });
  grpcUrl = await server.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await server.app.close();
});

describe("gRPC reflection", () => {
  it("lists the services to buf curl, which has no .proto files", async () => {
    const listed = (await bufCurl(grpcUrl, ["--list-services"])).trim().split("\n");
    expect(listed.sort()).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "tessera.page.v1.PageService",
    ]);
  });

  it("gives buf curl what it needs to call GetPage with JSON", async () => {
    const body = JSON.stringify({ pageId: "home", platform: "web" });
    const answer = JSON.parse(await bufCurl(`${grpcUrl}/tessera.page.v1.PageService/GetPage`, ["-d", body])) as {
      page: { pageId: string; widgets: { type: string }[] };
    };
    expect(answer.page.pageId).toBe("home");
    expect(answer.page.widgets.map((widget) => widget.type)).toContain("hero");
  });

  it("answers several questions on one stream, each before the next is sent (v1alpha)", async () => {
    const client = createClient(v1alpha.ServerReflection, createGrpcTransport({ baseUrl: grpcUrl }));
    const questions: v1alpha.ServerReflectionRequest["messageRequest"][] = [
      { case: "fileContainingSymbol", value: "tessera.page.v1.PageService.GetPage" },
      { case: "fileByFilename", value: "tessera/page/v1/widget.proto" },
      { case: "fileContainingSymbol", value: "tessera.page.v1.NoSuchThing" },
    ];
    let answered: () => void = () => {};
    const requests = (async function* () {
      for (const messageRequest of questions) {
        const next = new Promise<void>((resolve) => (answered = resolve));
        yield create(v1alpha.ServerReflectionRequestSchema, { messageRequest });
        await next;
      }
    })();
    const answers: v1alpha.ServerReflectionResponse["messageResponse"][] = [];
    for await (const response of client.serverReflectionInfo(requests, { timeoutMs: 20_000 })) {
      answers.push(response.messageResponse);
      answered();
    }
    expect(answers.map((answer) => answer.case)).toEqual(["fileDescriptorResponse", "fileDescriptorResponse", "errorResponse"]);
    const fileNames = (answer: (typeof answers)[number]) =>
      answer.case === "fileDescriptorResponse"
        ? answer.value.fileDescriptorProto.map((bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name)
        : [];
    // The file first, then everything it imports, so that the client can build the schema.
    expect(fileNames(answers[0]!)[0]).toBe("tessera/page/v1/page_service.proto");
    expect(fileNames(answers[0]!)).toEqual(expect.arrayContaining(["tessera/page/v1/widget.proto", "tessera/widgets/v1/item.proto"]));
    expect(fileNames(answers[1]!)[0]).toBe("tessera/page/v1/widget.proto");
    expect(answers[2]!.value).toMatchObject({ errorCode: Code.NotFound, errorMessage: expect.stringContaining("NoSuchThing") });
  });
});

describe("gRPC reflection and health given what they cannot read", () => {
  it("answer invalid_argument naming the method, once, and close the stream", async () => {
    const junk = envelope(new Uint8Array([0xff, 0xff, 0xff, 0xff]));
    for (const [path, method] of [
      ["/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", "ServerReflectionInfo"],
      ["/grpc.health.v1.Health/Watch", "Watch"],
    ]) {
      const status = await rawGrpc(grpcUrl, path!, junk);
      expect(status["grpc-status"]).toBe(String(Code.InvalidArgument));
      expect(status["grpc-message"]).toMatch(new RegExp(`^could not read the ${method} request message: (?!could not read)`));
    }
  });

  it("answer a message declared past the limit resource_exhausted at once, and the server still closes at once", async () => {
    const stopping = await startTessera({}, { http2: true });
    const url = await stopping.app.listen({ host: "127.0.0.1", port: 0 });
    // A compressed envelope that declares 2 GiB, then 64 KB of it: refused on its header, the rest left unread.
    const declared = new Uint8Array(5 + 64 * 1024);
    declared[0] = 1;
    new DataView(declared.buffer).setUint32(1, 2 ** 31);
    const status = await rawGrpc(url, "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", declared, { "grpc-encoding": "gzip" });
    expect(status["grpc-status"]).toBe(String(Code.ResourceExhausted));
    // A stream left holding unread bytes never closes, and would hold the close past the test's deadline.
    await stopping.app.close();
  });
});

describe("gRPC health", () => {
  it("answers SERVING to buf curl, for the server and for each service", async () => {
    expect(JSON.parse(await bufCurl(`${grpcUrl}/grpc.health.v1.Health/Check`, []))).toEqual({ status: "SERVING" });
    const pageService = JSON.stringify({ service: "tessera.page.v1.PageService" });
    expect(JSON.parse(await bufCurl(`${grpcUrl}/grpc.health.v1.Health/Check`, ["-d", pageService]))).toEqual({ status: "SERVING" });
  });

  it("answers NOT_FOUND for a service not served", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: grpcUrl }));
    const refused = await health.check({ service: "tessera.nope.v1.Nope" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConnectError);
    expect((refused as ConnectError).code).toBe(Code.NotFound);
  });

  it("answers NOT_SERVING while /readyz says not ready (no layouts loaded)", async () => {
    const unready = await startTessera({ layouts: createStaticLayoutSource(new Map()) }, { http2: true });
    try {
      const health = createClient(Health, createGrpcTransport({ baseUrl: await unready.app.listen({ host: "127.0.0.1", port: 0 }) }));
      expect((await health.check({})).status).toBe(Status.NOT_SERVING);
      expect((await health.check({ service: "tessera.page.v1.PageService" })).status).toBe(Status.NOT_SERVING);
    } finally {
      await unready.app.close();
    }
  });

  it("Watch sends SERVING, then NOT_SERVING when the server stops, and ends so the drain is not held", async () => {
    const stopping = await startTessera({}, { http2: true });
    const health = createClient(Health, createGrpcTransport({ baseUrl: await stopping.app.listen({ host: "127.0.0.1", port: 0 }) }));
    const seen: Status[] = [];
    let closed: Promise<void> | undefined;
    for await (const { status } of health.watch({ service: "tessera.page.v1.PageService" }, { timeoutMs: 30_000 })) {
      seen.push(status);
      closed ??= stopping.app.close();
    }
    await closed;
    expect(seen).toEqual([Status.SERVING, Status.NOT_SERVING]);
  });

  it("Watch says SERVICE_UNKNOWN for a service not served", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: grpcUrl }));
    const leave = new AbortController();
    const watch = health.watch({ service: "tessera.nope.v1.Nope" }, { signal: leave.signal, timeoutMs: 30_000 });
    const first = await watch[Symbol.asyncIterator]().next();
    expect(first.value?.status).toBe(Status.SERVICE_UNKNOWN);
    leave.abort();
  });
});
