/**
 * Every DDS of the system, one entry each: the Connect service it implements (its contract for
 * remote and in-process callers alike) and how this process builds it. The clients (client.ts),
 * the Connect routes (routes.ts) and the binder test kit's fixture DDS all derive from this list.
 */
import type { DescService, MessageShape } from "@bufbuild/protobuf";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import { ContentService } from "../protos/gen/tessera/dds/v1/content_pb.js";
import { EntitlementService } from "../protos/gen/tessera/dds/v1/entitlement_pb.js";
import { RecoService } from "../protos/gen/tessera/dds/v1/reco_pb.js";
import { UserService } from "../protos/gen/tessera/dds/v1/user_pb.js";
import { loadCatalog, type Catalog } from "./catalog/films.ts";
import type { ContentOverlay } from "./content/overlay.ts";
import { createContentService } from "./content/service.ts";
import { createEntitlementService } from "./entitlement/service.ts";
import { createRecoService } from "./reco/service.ts";
import { createMemoryUserStore } from "./user/memory-store.ts";
import { createRedisUserStore } from "./user/redis-store.ts";
import { createUserService } from "./user/service.ts";
import type { UserStore } from "./user/store.ts";
import type { RedisClient } from "../redis/client.ts";

/** A DDS implementation: one async function per RPC, taking the request message. */
export type DdsImpl<S> =
  S extends GenService<infer Methods>
    ? { [K in keyof Methods]: (request: MessageShape<Methods[K]["input"]>) => Promise<MessageShape<Methods[K]["output"]>> }
    : never;

/** What the DDS are built from. */
export interface DdsDeps {
  /** Base URL of artwork, e.g. "http://127.0.0.1:8080/images". */
  imageBaseUrl: string;
  catalog: Catalog;
  userStore: UserStore;
  /** Editorial changes over the catalog (content/open-changes.ts); none when not given. */
  overlay?: ContentOverlay;
}

interface DdsDefinition<S extends DescService> {
  service: S;
  create(deps: DdsDeps): DdsImpl<S>;
}

const dds = <S extends DescService>(service: S, create: (deps: DdsDeps) => DdsImpl<S>): DdsDefinition<S> => ({ service, create });

export const DDS_SERVICES = {
  content: dds(ContentService, (deps) => createContentService({ imageBaseUrl: deps.imageBaseUrl, overlay: deps.overlay }, deps.catalog)),
  user: dds(UserService, (deps) => createUserService(deps.userStore)),
  reco: dds(RecoService, (deps) => createRecoService(deps.catalog)),
  entitlement: dds(EntitlementService, (deps) => createEntitlementService(deps.catalog)),
};

type DdsServices = typeof DDS_SERVICES;
export type DdsName = keyof DdsServices;
/** The Connect service of a DDS. */
export type DdsService<Name extends DdsName> = DdsServices[Name]["service"];
export type DdsImpls = { [Name in DdsName]: DdsImpl<DdsService<Name>> };

export const DDS_NAMES = Object.keys(DDS_SERVICES) as DdsName[];

export interface DdsOptions {
  imageBaseUrl: string;
  /** User data goes to Redis when given, else stays in memory. */
  redis?: RedisClient;
  /** Editorial changes over the catalog (content/open-changes.ts); none when not given. */
  overlay?: ContentOverlay;
}

/**
 * The version of the catalog the in-process DDS serves: changes when the catalog is replaced (a
 * deploy). Editorial changes between deploys travel on the content-change stream instead.
 */
export function ddsDataVersion(): string {
  return loadCatalog().version ?? "unversioned";
}

export function createDdsServices(options: DdsOptions): DdsImpls {
  const userStore = options.redis ? createRedisUserStore(options.redis) : createMemoryUserStore();
  return createDdsServicesFrom({ imageBaseUrl: options.imageBaseUrl, catalog: loadCatalog(), userStore, overlay: options.overlay });
}

/** Every DDS over the given data, e.g. the binder test kit's fixtures. */
export function createDdsServicesFrom(deps: DdsDeps): DdsImpls {
  const impls: Partial<Record<DdsName, unknown>> = {};
  for (const name of DDS_NAMES) impls[name] = DDS_SERVICES[name].create(deps);
  return impls as DdsImpls;
}
