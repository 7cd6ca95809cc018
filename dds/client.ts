/**
 * One client interface to every DDS, whether it runs in this process or behind Connect.
 * Its shape is Connect's generated client, so remote and in-process callers are interchangeable.
 */
import { create, type DescMessage, type DescService, type MessageInitShape, type MessageShape } from "@bufbuild/protobuf";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import { createClient, type CallOptions, type Client, type Transport } from "@connectrpc/connect";
import { ContentService } from "../protos/gen/tessera/dds/v1/content_pb.js";
import { EntitlementService } from "../protos/gen/tessera/dds/v1/entitlement_pb.js";
import { RecoService } from "../protos/gen/tessera/dds/v1/reco_pb.js";
import { UserService } from "../protos/gen/tessera/dds/v1/user_pb.js";

export const DDS_SERVICES = {
  content: ContentService,
  user: UserService,
  reco: RecoService,
  entitlement: EntitlementService,
} as const;

type DdsServices = typeof DDS_SERVICES;
export type DdsName = keyof DdsServices;

export type DdsClient = { [Name in DdsName]: Client<DdsServices[Name]> };

/** A DDS implementation: one async function per RPC, taking the request message. */
export type DdsImpl<S> =
  S extends GenService<infer Methods>
    ? { [K in keyof Methods]: (request: MessageShape<Methods[K]["input"]>) => Promise<MessageShape<Methods[K]["output"]>> }
    : never;

export type DdsImpls = { [Name in DdsName]: DdsImpl<DdsServices[Name]> };

type AnyRpc = (request: unknown) => Promise<unknown>;

function inProcessClient<S extends DescService>(service: S, impl: DdsImpl<S>): Client<S> {
  const client: Record<string, AnyRpc> = {};
  const rpcs = impl as unknown as Record<string, AnyRpc>;
  for (const method of service.methods) {
    const input: DescMessage = method.input;
    const rpc = rpcs[method.localName]!;
    client[method.localName] = (init) => rpc(create(input, init as MessageInitShape<typeof input>));
  }
  return client as Client<S>;
}

/** Calls the DDS implementations as plain functions: no serialization, no network. */
export function inProcessDdsClient(impls: DdsImpls): DdsClient {
  return {
    content: inProcessClient(ContentService, impls.content),
    user: inProcessClient(UserService, impls.user),
    reco: inProcessClient(RecoService, impls.reco),
    entitlement: inProcessClient(EntitlementService, impls.entitlement),
  };
}

/** Calls DDS that run as Connect services, e.g. `createConnectTransport({ baseUrl, httpVersion: "1.1" })`. */
export function remoteDdsClient(transport: Transport): DdsClient {
  return {
    content: createClient(ContentService, transport),
    user: createClient(UserService, transport),
    reco: createClient(RecoService, transport),
    entitlement: createClient(EntitlementService, transport),
  };
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
  const wrapped: Record<string, Record<string, AnyRpc>> = {};
  for (const name of Object.keys(DDS_SERVICES) as DdsName[]) {
    const rpcs = client[name] as unknown as Record<string, (request: unknown, options?: CallOptions) => Promise<unknown>>;
    wrapped[name] = {};
    for (const method of DDS_SERVICES[name].methods) {
      const rpc = rpcs[method.localName]!;
      wrapped[name][method.localName] = (request: unknown, options?: CallOptions) =>
        wrapper(name, method.localName, (given = options) => rpc(request, given), request, options);
    }
  }
  return wrapped as unknown as DdsClient;
}

/** Simulates the network and work of a real DDS: every call takes `latencyMs` more. */
export function withSimulatedLatency(client: DdsClient, latencyMs: number): DdsClient {
  if (latencyMs <= 0) return client;
  return wrapDdsClient(client, (_dds, _method, call) =>
    new Promise((resolve) => setTimeout(resolve, latencyMs)).then(() => call()),
  );
}
