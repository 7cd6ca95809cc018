/**
 * Every DDS method the compositor calls, one entry each: which DDS and RPC, how a batch of keys
 * goes into the request and how the response maps back to key → value, and the binder facade
 * method it backs, if any. The request's loaders (dds-loaders.ts), the facade's methods and
 * their call counting (dds-facade.ts) all derive from this table; the SDK's `DdsFacade` is checked
 * against it at compile time, so a method cannot be forgotten on either side.
 */
import type { DdsClient, DdsName } from "../dds/client.ts";
import type { RequestContext } from "../widget-registry/context.ts";
import type { DdsFacade } from "../widget-registry/sdk.ts";
import { KEYED_DIMENSIONS, type ContentDimension } from "../widget-registry/request-dimensions.ts";

/** What every DDS request of one page request is built from; made once per request. */
export interface DdsRequestScope {
  ctx: RequestContext;
  /** The audience that content requests carry: what the content DDS tailors entities by, each dimension the table marks `content`. */
  audience: Record<ContentDimension, string>;
}

export function requestScope(ctx: RequestContext): DdsRequestScope {
  const audience = {} as Record<ContentDimension, string>;
  for (const name of KEYED_DIMENSIONS.content as readonly ContentDimension[]) audience[name] = ctx[name];
  return { ctx, audience };
}

/** The facade methods that are not one table entry: dds-facade.ts builds them from several loaders and the entity cache. */
export const SPECIAL_FACADE_METHODS = ["content", "tiles"] as const;
export type SpecialFacadeMethod = (typeof SPECIAL_FACADE_METHODS)[number];

/**
 * Where a facade method's one key comes from: its argument, the caller's persona, or the caller's
 * user id (an anonymous caller gets [] without a call). A key the DDS does not answer gives [].
 */
export type FacadeKey = "argument" | "persona" | "user";

interface FacadeBinding {
  method: Exclude<keyof DdsFacade, SpecialFacadeMethod>;
  key: FacadeKey;
}

type DdsRpc<Dds extends DdsName> = Extract<keyof DdsClient[Dds], string>;
type RpcCall<Dds extends DdsName, Rpc extends DdsRpc<Dds>> = DdsClient[Dds][Rpc] extends (...args: infer Args) => Promise<infer Response>
  ? { request: Args[0]; response: Response }
  : never;

interface DdsMethod<Dds extends DdsName, Rpc extends DdsRpc<Dds>, Item, Value> {
  dds: Dds;
  rpc: Rpc;
  /** The request for a batch of keys (each key once). */
  request(keys: string[], scope: DdsRequestScope): RpcCall<Dds, Rpc>["request"];
  /** The response's entries: one per key the DDS answers. */
  items(response: RpcCall<Dds, Rpc>["response"]): readonly Item[];
  key(item: Item): string;
  value(item: Item): Value;
}

function ddsMethod<Dds extends DdsName, Rpc extends DdsRpc<Dds>, Item, Value, Facade extends FacadeBinding | undefined = undefined>(
  method: DdsMethod<Dds, Rpc, Item, Value> & { facade?: Facade },
): DdsMethod<Dds, Rpc, Item, Value> & { facade: Facade } {
  return method as DdsMethod<Dds, Rpc, Item, Value> & { facade: Facade };
}

export const DDS_METHODS = {
  content: ddsMethod({
    dds: "content",
    rpc: "batchGetContent",
    request: (ids, { audience }) => ({ ids, audience }),
    items: (response) => response.contents,
    key: (entity) => entity.id,
    value: (entity) => entity,
  }),
  genreLists: ddsMethod({
    dds: "content",
    rpc: "batchGetGenreLists",
    request: (genres, { audience }) => ({ genres, audience }),
    items: (response) => response.lists,
    key: (list) => list.genre,
    value: (list) => list.contentIds,
    facade: { method: "genreList", key: "argument" },
  }),
  entitlements: ddsMethod({
    dds: "entitlement",
    rpc: "batchGetEntitlements",
    request: (contentIds, { ctx }) => ({ userId: ctx.userId, contentIds }),
    items: (response) => response.entitlements,
    key: (entitlement) => entitlement.contentId,
    value: (entitlement) => entitlement,
  }),
  plans: ddsMethod({
    dds: "entitlement",
    rpc: "batchGetPlans",
    request: (userIds) => ({ userIds }),
    items: (response) => response.plans,
    key: (entry) => entry.userId,
    value: (entry) => entry.plan,
  }),
  histories: ddsMethod({
    dds: "user",
    rpc: "batchGetHistory",
    request: (userIds) => ({ userIds }),
    items: (response) => response.histories,
    key: (history) => history.userId,
    value: (history) => history.entries,
    facade: { method: "history", key: "user" },
  }),
  favorites: ddsMethod({
    dds: "user",
    rpc: "batchGetFavorites",
    request: (userIds) => ({ userIds }),
    items: (response) => response.favorites,
    key: (entry) => entry.userId,
    value: (entry) => entry.contentIds,
    facade: { method: "favorites", key: "user" },
  }),
  topPicks: ddsMethod({
    dds: "reco",
    rpc: "batchGetTopPicks",
    request: (personaIds) => ({ personaIds }),
    items: (response) => response.topPicks,
    key: (picks) => picks.personaId,
    value: (picks) => picks.contentIds,
    facade: { method: "topPicks", key: "persona" },
  }),
};

type Table = typeof DDS_METHODS;
export type DdsMethodName = keyof Table;
export const DDS_METHOD_NAMES = Object.keys(DDS_METHODS) as DdsMethodName[];

/** The value a method's loader gives for one key. */
export type DdsValue<Name extends DdsMethodName> = ReturnType<Table[Name]["value"]>;
/** A method's response message. */
export type DdsResponse<Name extends DdsMethodName> = Parameters<Table[Name]["items"]>[0];

/** The facade methods the table backs, as their binding says they are called. */
type TableFacade = {
  [
    Name in DdsMethodName as Table[Name]["facade"] extends FacadeBinding ? Table[Name]["facade"]["method"] : never
  ]: Table[Name]["facade"] extends {
    key: "argument";
  }
    ? (key: string) => Promise<DdsValue<Name>>
    : () => Promise<DdsValue<Name>>;
};

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
/** Compiles only while the SDK's `DdsFacade` is exactly the table's facade methods plus the special ones. */
export type SdkFacadeMatchesTable = Expect<Same<TableFacade & Pick<DdsFacade, SpecialFacadeMethod>, DdsFacade>>;
