/**
 * The request-scoped door to the DDS: one loader per DDS method (dds-methods.ts), shared by
 * every binder of the page, so each entity is fetched once and each wave costs one call per DDS
 * method. The binder facade is the table's methods plus `content` and `tiles`, which share
 * entities between requests (content per audience, entitlements per plan).
 */
import type { Content } from "../protos/gen/tessera/dds/v1/content_pb.js";
import type { Entitlement } from "../protos/gen/tessera/dds/v1/entitlement_pb.js";
import type { DdsClient } from "../dds/client.ts";
import { genreEntity, titleEntity } from "../dds/content/changes.ts";
import type { RequestContext } from "../widget-registry/context.ts";
import type { DdsFacade, Tile } from "../widget-registry/sdk.ts";
import type { CompositorHooks } from "./hooks.ts";
import type { DdsAnswers } from "./cache/dds-answers.ts";
import { contentBucket, entitlementBucket, type EntityCache } from "./cache/entity-cache.ts";
import { sharedTile, tileOf } from "./cache/shared-tiles.ts";
import { createDdsLoaders, type DdsLoaders } from "./dds-loaders.ts";
import {
  DDS_METHOD_NAMES,
  DDS_METHODS,
  requestScope,
  SPECIAL_FACADE_METHODS,
  type DdsMethodName,
  type FacadeKey,
  type SpecialFacadeMethod,
} from "./dds-methods.ts";
import { WaveScheduler, type DdsWaits } from "./wave-scheduler.ts";

export interface RequestDds {
  /**
   * A facade for one binder; `calls` counts the DDS requests it made, `shown` the entities (titles,
   * genre lists) it loaded. Once `deadline` aborts, its calls reject with the abort's reason instead
   * of loading: a binder let go at its deadline asks the DDS for nothing more. (A load already in a
   * batch goes on: other binders of the page may await the same call.) `recordShown`: whether what
   * the binder loads is recorded (`shown`); only output that is kept needs it.
   */
  forBinder(deadline?: AbortSignal, recordShown?: boolean): BinderFacade;
  /** The caller's entitlement plan (batched into the wave like any load); undefined when unknown. */
  plan(): Promise<string | undefined>;
  /** The plan, when an entitlement call of this request has already told it. */
  knownPlan(): string | undefined;
  scheduler: WaveScheduler;
}

/** One binder's facade, and what its calls so far made and used. */
export type BinderFacade = DdsFacade & {
  readonly calls: number;
  readonly shown: ReadonlySet<string>;
  /** The id of the recommendation whose top picks the binder got; "" when it asked for none. */
  readonly recoRequestId: string;
};

/** Entities shared between requests, valid for one version of the DDS data. */
export interface SharedEntities {
  cache: EntityCache;
  dataVersion: string;
  /** False once the data changed since the request started, or a remote DDS answered behind a change: what it fetched then must not be shared. */
  fresh(): boolean;
}

/**
 * `waits` hears when the request starts and stops waiting on the DDS (admission frees its slot meanwhile);
 * `answers`, with a remote DDS, records how far its answers had applied the content changes.
 */
export function createRequestDds(
  client: DdsClient,
  ctx: RequestContext,
  hooks: CompositorHooks,
  shared?: SharedEntities,
  waits?: DdsWaits,
  answers?: DdsAnswers,
): RequestDds {
  const scheduler = new WaveScheduler(waits);
  const scope = requestScope(ctx);
  const contentCache = shared?.cache.content(contentBucket(shared.dataVersion, ctx));
  const rightsCache = (plan: string) => shared!.cache.entitlements(entitlementBucket(shared!.dataVersion, plan));
  let knownPlan: string | undefined;
  /** Persona → the id of the recommendation its top picks came from. */
  const recoRequestIds = new Map<string, string>();
  let planAsked: Promise<string | undefined> | undefined;
  /** The plan once `plan()` has answered it. */
  let answeredPlan: string | undefined;

  const loaders = createDdsLoaders(
    client,
    scope,
    scheduler,
    hooks,
    {
      entitlements(response) {
        if (response.plan) knownPlan = response.plan;
        if (shared && response.plan) {
          const rights = rightsCache(response.plan);
          for (const right of response.entitlements) rights.set(right.contentId, right);
        }
      },
      topPicks(response) {
        for (const picks of response.topPicks) if (picks.requestId) recoRequestIds.set(picks.personaId, picks.requestId);
      },
    },
    answers?.callOptions,
  );

  async function loadContent(ids: readonly string[]): Promise<Content[]> {
    if (!contentCache) {
      const found = await loaders.content.loadMany(ids);
      return found.filter((entity): entity is Content => entity !== undefined && !(entity instanceof Error));
    }
    const known = ids.map((id) => contentCache.get(id));
    const missing = ids.filter((_id, i) => known[i] === undefined);
    if (missing.length > 0) {
      const found = await loaders.content.loadMany(missing);
      missing.forEach((id, i) => {
        const entity = found[i];
        if (entity instanceof Error) return;
        if (shared!.fresh()) contentCache.set(id, entity ?? { absent: true });
      });
      const fetched = new Map(missing.map((id, i) => [id, found[i]]));
      ids.forEach((id, i) => {
        const entity = fetched.get(id);
        known[i] ??= entity === undefined || entity instanceof Error ? { absent: true } : entity;
      });
    }
    return known.filter((entity): entity is Content => entity !== undefined && !("absent" in entity));
  }

  /** Entitlements from the shared cache when the plan is already known or asked for, else from the DDS. */
  async function loadRights(ids: readonly string[]): Promise<Array<Entitlement | Error | undefined>> {
    const plan = shared && (knownPlan ?? (planAsked ? await planAsked : undefined));
    if (!shared || !plan) return loaders.entitlements.loadMany(ids);
    const rights = rightsCache(plan);
    const known: Array<Entitlement | Error | undefined> = ids.map((id) => rights.get(id));
    const missing = ids.filter((_id, i) => known[i] === undefined);
    if (missing.length === 0) return known;
    const fetched = await loaders.entitlements.loadMany(missing);
    return [...known.filter((right) => right !== undefined), ...fetched];
  }

  /**
   * The tiles when the shared caches hold every title and, under the plan already answered, every
   * entitlement: the usual case for a signed-in caller's own widgets, built in order with no wait.
   */
  function tilesAtHand(ids: readonly string[]): Tile[] | undefined {
    const plan = knownPlan ?? answeredPlan;
    if (!contentCache || plan === undefined) return undefined;
    const rights = rightsCache(plan);
    const made: Tile[] = [];
    for (const id of ids) {
      const entity = contentCache.get(id);
      const right = rights.get(id);
      if (entity === undefined || right === undefined) return undefined;
      if (!("absent" in entity)) made.push(sharedTile(entity, right));
    }
    return made;
  }

  async function tiles(ids: readonly string[]): Promise<Tile[]> {
    const atHand = tilesAtHand(ids);
    if (atHand) return atHand;
    const [contents, rights] = await Promise.all([loadContent(ids), loadRights(ids)]);
    const rightsById = new Map<string, Entitlement>();
    for (const right of rights) if (right && !(right instanceof Error)) rightsById.set(right.contentId, right);
    // Entities from the shared caches outlive the request: so may their tiles.
    const tile = shared ? sharedTile : tileOf;
    return contents.map((entity) => tile(entity, rightsById.get(entity.id)));
  }

  const facade = new RequestFacade(loadContent, tiles, loaders, ctx, () => recoRequestIds.get(ctx.persona) ?? "");

  return {
    scheduler,
    plan() {
      planAsked ??= knownPlan
        ? Promise.resolve(knownPlan)
        : loaders.plans.load(ctx.userId).then(
            (plan) => (answeredPlan = plan || undefined),
            () => undefined,
          );
      return planAsked;
    },
    knownPlan: () => knownPlan,
    forBinder: (deadline, recordShown = true) => new CountedFacade(facade, deadline, recordShown) as unknown as BinderFacade,
  };
}

/** The table entries that back a facade method, with where each one's key comes from. */
const TABLE_FACADE = DDS_METHOD_NAMES.flatMap((name) => {
  const binding = DDS_METHODS[name].facade;
  return binding ? [{ name, method: binding.method, key: binding.key }] : [];
});
/** Every method of the SDK's facade (dds-methods.ts checks that the SDK has no other). */
const FACADE_METHODS: ReadonlyArray<keyof DdsFacade> = [...SPECIAL_FACADE_METHODS, ...TABLE_FACADE.map((entry) => entry.method)];

/**
 * The request's facade: `content` and `tiles` as createRequestDds builds them, and a method per
 * table entry that backs one. Those live on the prototype, shared by every request, and find the
 * request's loaders through `this`: binders never hold this object, only a counted one.
 */
class RequestFacade implements Pick<DdsFacade, SpecialFacadeMethod> {
  readonly content: DdsFacade["content"];
  readonly tiles: DdsFacade["tiles"];
  readonly loaders: DdsLoaders;
  readonly ctx: RequestContext;
  /** The id of the recommendation the request's top picks came from, once they came; "" before. */
  readonly recoRequestId: () => string;

  constructor(
    content: DdsFacade["content"],
    tiles: DdsFacade["tiles"],
    loaders: DdsLoaders,
    ctx: RequestContext,
    recoRequestId: () => string,
  ) {
    this.content = content;
    this.tiles = tiles;
    this.loaders = loaders;
    this.ctx = ctx;
    this.recoRequestId = recoRequestId;
  }
}

type TableMethod = (this: RequestFacade, argument?: string) => Promise<unknown>;

function tableMethod(loader: DdsMethodName, key: FacadeKey): TableMethod {
  switch (key) {
    case "argument":
      return async function (argument) {
        return (await this.loaders[loader].load(argument!)) ?? [];
      };
    case "persona":
      return async function () {
        return (await this.loaders[loader].load(this.ctx.persona)) ?? [];
      };
    case "user":
      return async function () {
        return this.ctx.userId ? ((await this.loaders[loader].load(this.ctx.userId)) ?? []) : [];
      };
  }
}

for (const { name, method, key } of TABLE_FACADE) Object.defineProperty(RequestFacade.prototype, method, { value: tableMethod(name, key) });

const showTitles = (shown: Set<string>, ids: unknown) => {
  for (const id of ids as readonly string[]) shown.add(titleEntity(id));
};

/** The entities (titles, genre lists) a call loads: output built from them is dropped when one changes. */
const SHOWN_BY: Partial<Record<keyof DdsFacade, (shown: Set<string>, argument: unknown) => void>> = {
  content: showTitles,
  tiles: showTitles,
  genreList: (shown, genre) => void shown.add(genreEntity(genre as string)),
};

/**
 * The facade of one binder, every call counted and what it loads recorded, none made past its
 * deadline. Built per binder per request, so kept to one closure per method; a constructor, so that
 * V8 keeps the methods inside the object.
 */
class CountedFacade {
  #calls = 0;
  readonly shown = new Set<string>();
  recoRequestId = "";

  constructor(facade: RequestFacade, deadline: AbortSignal | undefined, recordShown: boolean) {
    const methods = this as unknown as Record<string, unknown>;
    for (const name of FACADE_METHODS) {
      const method = (facade as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!;
      const show = recordShown ? SHOWN_BY[name] : undefined;
      methods[name] = (...args: unknown[]) => {
        if (deadline?.aborted) return Promise.reject(deadline.reason as Error);
        this.#calls++;
        show?.(this.shown, args[0]);
        const result = Reflect.apply(method, facade, args) as Promise<unknown>;
        if (name !== "topPicks") return result;
        // Notes the recommendation the binder's top picks came from.
        return result.then((picks) => {
          this.recoRequestId = facade.recoRequestId();
          return picks;
        });
      };
    }
  }

  get calls(): number {
    return this.#calls;
  }
}
