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
