/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha), so that grpcurl, buf curl or Postman can
 * list and call the services without their .proto files: the answers are the FileDescriptorProtos
 * embedded in the generated code, each file with everything it imports.
 * Served with `streamRequests` (connect-routes.ts): clients send one question, wait for its answer,
 * then send the next, on one stream.
 */
import { create, createRegistry, toBinary, type DescFile, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import * as v1 from "../protos/gen/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../protos/gen/grpc/reflection/v1alpha/reflection_pb.js";

/** A question, as both versions spell it. */
type Question =
  | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType" | "listServices"; value: string }
  | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
  | { case: undefined; value?: undefined };

/** An answer, as both versions spell it. */
type Answer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/** A file and every file it imports, transitively, the file first. */
function withImports(file: DescFile, into = new Map<string, DescFile>()): Map<string, DescFile> {
  if (into.has(file.proto.name)) return into;
  into.set(file.proto.name, file);
  for (const dependency of file.dependencies) withImports(dependency, into);
  return into;
}

const notFound = (what: string): Answer => ({
  case: "errorResponse",
  value: { errorCode: Code.NotFound, errorMessage: `${what} not found` },
});
const quoted = (name: string) => JSON.stringify(name.slice(0, 200));

/** Answers reflection questions about `services` (and the reflection services themselves). */
export function reflectionAnswers(services: readonly DescService[]): (question: Question) => Answer {
  const served = [...services, v1.ServerReflection, v1alpha.ServerReflection];
  const files = new Map<string, DescFile>();
  for (const service of served) withImports(service.file, files);
  const registry = createRegistry(...files.values());
  const descriptors = new Map([...files].map(([name, file]) => [name, toBinary(FileDescriptorProtoSchema, file.proto)]));
  const fileAnswer = (file: DescFile): Answer => ({
    case: "fileDescriptorResponse",
    value: { fileDescriptorProto: [...withImports(file).keys()].map((name) => descriptors.get(name)!) },
  });
  /** The file declaring a message, enum, service, extension, or a service's method. */
  const fileOfSymbol = (symbol: string): DescFile | undefined => {
    const found = registry.get(symbol);
    if (found) return found.file;
    const dot = symbol.lastIndexOf(".");
    const service = registry.getService(symbol.slice(0, dot));
    return service?.methods.some((method) => method.name === symbol.slice(dot + 1)) ? service.file : undefined;
  };

  return (question) => {
    switch (question.case) {
      case "listServices":
        return { case: "listServicesResponse", value: { service: served.map((service) => ({ name: service.typeName })) } };
      case "fileByFilename": {
        const file = files.get(question.value);
        return file ? fileAnswer(file) : notFound(`file ${quoted(question.value)}`);
      }
      case "fileContainingSymbol": {
        const file = fileOfSymbol(question.value);
        return file ? fileAnswer(file) : notFound(`symbol ${quoted(question.value)}`);
      }
      case "fileContainingExtension": {
        const { containingType, extensionNumber } = question.value;
        const message = registry.getMessage(containingType);
        const extension = message && registry.getExtensionFor(message, extensionNumber);
        return extension ? fileAnswer(extension.file) : notFound(`extension ${extensionNumber} of ${quoted(containingType)}`);
      }
      case "allExtensionNumbersOfType": {
        if (!registry.getMessage(question.value)) return notFound(`message ${quoted(question.value)}`);
        const numbers = [...registry].flatMap((desc) =>
          desc.kind === "extension" && desc.extendee.typeName === question.value ? [desc.number] : [],
        );
        return { case: "allExtensionNumbersResponse", value: { baseTypeName: question.value, extensionNumber: numbers } };
      }
      default:
        return {
          case: "errorResponse",
          value: { errorCode: Code.InvalidArgument, errorMessage: "the request asks nothing (no message_request set)" },
        };
    }
  };
}

export function grpcReflection(services: readonly DescService[]) {
  const answer = reflectionAnswers(services);
  return (router: ConnectRouter) => {
    router.service(v1.ServerReflection, {
      async *serverReflectionInfo(requests) {
        for await (const request of requests) {
          yield create(v1.ServerReflectionResponseSchema, {
            validHost: request.host,
            originalRequest: request,
            messageResponse: answer(request.messageRequest),
          });
        }
      },
    });
    router.service(v1alpha.ServerReflection, {
      async *serverReflectionInfo(requests) {
        for await (const request of requests) {
          yield create(v1alpha.ServerReflectionResponseSchema, {
            validHost: request.host,
            originalRequest: request,
            messageResponse: answer(request.messageRequest),
          });
        }
      },
    });
  };
}
