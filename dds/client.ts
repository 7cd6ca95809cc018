/**
 * One client interface to every DDS, whether it runs in this process or behind Connect.
 * Its shape is Connect's generated client, so remote and in-process callers are interchangeable;
 * both clients are built from the DDS list (services.ts), service by service, RPC by RPC.
 */
import { create, type DescMessage, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient, type CallOptions, type Client, type Transport } from "@connectrpc/connect";
import { DDS_NAMES, DDS_SERVICES, type DdsImpls, type DdsName, type DdsService } from "./services.ts";

export type { DdsName } from "./services.ts";

export type DdsClient = { [Name in DdsName]: Client<DdsService<Name>> };

type AnyRpc = (request: unknown) => Promise<unknown>;

/** One client per DDS, each built by `clientOf`. */
function ddsClient(clientOf: (name: DdsName) => object): DdsClient {
  const client: Partial<Record<DdsName, object>> = {};
  for (const name of DDS_NAMES) client[name] = clientOf(name);
  return client as DdsClient;
}

function inProcessClient(service: DescService, impl: object): Record<string, AnyRpc> {
  const client: Record<string, AnyRpc> = {};
  const rpcs = impl as Record<string, AnyRpc>;
  for (const method of service.methods) {
    const input: DescMessage = method.input;
    const rpc = rpcs[method.localName]!;
    client[method.localName] = (init) => rpc(create(input, init as MessageInitShape<typeof input>));
  }
  return client;
}

/** Calls the DDS implementations as plain functions: no serialization, no network. */
export function inProcessDdsClient(impls: DdsImpls): DdsClient {
  return ddsClient((name) => inProcessClient(DDS_SERVICES[name].service, impls[name]));
}

/** Calls DDS that run as Connect services, e.g. `createConnectTransport({ baseUrl, httpVersion: "1.1" })`. */
export function remoteDdsClient(transport: Transport): DdsClient {
  return ddsClient((name) => createClient(DDS_SERVICES[name].service, transport));
}

/**
 * Something that observes or alters every DDS call: metrics, simulated latency, deadlines. `call`
 * makes the call, with the caller's options or the ones it is given.
 */
export type DdsCallWrapper = (
  dds: DdsName,
  method: string,
  call: (options?: CallOptions) => Promise<unknown>,
  request: unknown,
  options?: CallOptions,
) => Promise<unknown>;

/** Wraps every RPC of every DDS of a client. */
export function wrapDdsClient(client: DdsClient, wrapper: DdsCallWrapper): DdsClient {
  return ddsClient((name) => {
    const rpcs = client[name] as unknown as Record<string, (request: unknown, options?: CallOptions) => Promise<unknown>>;
    const wrapped: Record<string, AnyRpc> = {};
    for (const method of DDS_SERVICES[name].service.methods) {
      const rpc = rpcs[method.localName]!;
      wrapped[method.localName] = (request: unknown, options?: CallOptions) =>
        wrapper(name, method.localName, (given = options) => rpc(request, given), request, options);
    }
    return wrapped;
  });
}

/** Simulates the network and work of a real DDS: every call takes `latencyMs` more. */
export function withSimulatedLatency(client: DdsClient, latencyMs: number): DdsClient {
  if (latencyMs <= 0) return client;
  return wrapDdsClient(client, (_dds, _method, call) => new Promise((resolve) => setTimeout(resolve, latencyMs)).then(() => call()));
}
