/**
 * The request-scoped door to the DDS: one DataLoader per DDS method, shared by every binder of the
 * page, so each entity is fetched once and each wave costs one call per DDS method.
 */
import DataLoader from "dataloader";
import type { Content } from "../protos/gen/tessera/dds/v1/content_pb.js";
import type { Entitlement } from "../protos/gen/tessera/dds/v1/entitlement_pb.js";
import type { HistoryEntry } from "../protos/gen/tessera/dds/v1/user_pb.js";
import type { DdsClient, DdsName } from "../dds/client.ts";
import type { RequestContext } from "../widget-registry/context.ts";
import { dimensionsKey } from "../widget-registry/request-dimensions.ts";
import type { DdsFacade, Tile } from "../widget-registry/sdk.ts";
import type { CompositorHooks } from "./hooks.ts";
import type { EntityCache } from "./cache/entity-cache.ts";
import { WaveScheduler } from "./wave-scheduler.ts";

export interface RequestDds {
  /** A facade for one binder; `calls` counts the DDS requests it made. */
  forBinder(): DdsFacade & { readonly calls: number };
  /** The caller's entitlement plan (batched into the wave like any load); undefined when unknown. */
  plan(): Promise<string | undefined>;
  /** The plan, when an entitlement call of this request has already told it. */
  knownPlan(): string | undefined;
  scheduler: WaveScheduler;
}

/** Entities shared between requests, valid for one version of the DDS data. */
export interface SharedEntities {
  cache: EntityCache;
  dataVersion: string;
}

export function createRequestDds(client: DdsClient, ctx: RequestContext, hooks: CompositorHooks, shared?: SharedEntities): RequestDds {
  const scheduler = new WaveScheduler();
  const audience = { cohort: ctx.cohort, formFactor: ctx.formFactor, locale: ctx.locale, region: ctx.region };
  const contentCache = shared?.cache.content(`${shared.dataVersion}\u0001${dimensionsKey(ctx, "content")}`);
  const rightsCache = (plan: string) => shared!.cache.entitlements(`${shared!.dataVersion}\u0001${plan}`);

  /** A DataLoader whose batches go out wave by wave, each one reported to the hooks. */
  function loader<V>(dds: DdsName, method: string, batch: (keys: readonly string[]) => Promise<Map<string, V>>) {
    return new DataLoader<string, V | undefined>(
      async (keys) => {
        const started = performance.now();
        let failed = false;
        try {
          const found = await scheduler.track(() => batch(keys));
          return keys.map((key) => found.get(key));
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          hooks.ddsCall?.({ ctx, dds, method, batchSize: keys.length, durationMs: performance.now() - started, failed });
        }
      },
      { batchScheduleFn: scheduler.schedule },
    );
  }

  const content = loader<Content>("content", "batchGetContent", async (ids) => {
    const response = await client.content.batchGetContent({ ids: [...ids], audience });
    return new Map(response.contents.map((entity) => [entity.id, entity]));
  });
  const genreLists = loader<string[]>("content", "batchGetGenreLists", async (genres) => {
    const response = await client.content.batchGetGenreLists({ genres: [...genres], audience });
    return new Map(response.lists.map((list) => [list.genre, list.contentIds]));
  });
  const entitlements = loader<Entitlement>("entitlement", "batchGetEntitlements", async (ids) => {
    const response = await client.entitlement.batchGetEntitlements({ userId: ctx.userId, contentIds: [...ids] });
    if (response.plan) knownPlan = response.plan;
    if (shared && response.plan) {
      const rights = rightsCache(response.plan);
      for (const right of response.entitlements) rights.set(right.contentId, right);
    }
    return new Map(response.entitlements.map((entitlement) => [entitlement.contentId, entitlement]));
  });
  let knownPlan: string | undefined;
  let planAsked: Promise<string | undefined> | undefined;
  const plans = loader<string>("entitlement", "batchGetPlans", async (userIds) => {
    const response = await client.entitlement.batchGetPlans({ userIds: [...userIds] });
    return new Map(response.plans.map((entry) => [entry.userId, entry.plan]));
  });
  const histories = loader<HistoryEntry[]>("user", "batchGetHistory", async (userIds) => {
    const response = await client.user.batchGetHistory({ userIds: [...userIds] });
    return new Map(response.histories.map((history) => [history.userId, history.entries]));
  });
  const favorites = loader<string[]>("user", "batchGetFavorites", async (userIds) => {
    const response = await client.user.batchGetFavorites({ userIds: [...userIds] });
    return new Map(response.favorites.map((entry) => [entry.userId, entry.contentIds]));
  });
  const topPicks = loader<string[]>("reco", "batchGetTopPicks", async (personaIds) => {
    const response = await client.reco.batchGetTopPicks({ personaIds: [...personaIds] });
    return new Map(response.topPicks.map((picks) => [picks.personaId, picks.contentIds]));
  });

  async function loadContent(ids: readonly string[]): Promise<Content[]> {
    if (!contentCache) {
      const found = await content.loadMany(ids);
      return found.filter((entity): entity is Content => entity !== undefined && !(entity instanceof Error));
    }
    const known = ids.map((id) => contentCache.get(id));
    const missing = ids.filter((_id, i) => known[i] === undefined);
    if (missing.length > 0) {
      const found = await content.loadMany(missing);
      missing.forEach((id, i) => {
        const entity = found[i];
        if (entity instanceof Error) return;
        contentCache.set(id, entity ?? { absent: true });
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
    if (!shared || !plan) return entitlements.loadMany(ids);
    const rights = rightsCache(plan);
    const known: Array<Entitlement | Error | undefined> = ids.map((id) => rights.get(id));
    const missing = ids.filter((_id, i) => known[i] === undefined);
    if (missing.length === 0) return known;
    const fetched = await entitlements.loadMany(missing);
    return [...known.filter((right) => right !== undefined), ...fetched];
  }

  const facade: DdsFacade = {
    content: loadContent,
    async tiles(ids) {
      const [contents, rights] = await Promise.all([loadContent(ids), loadRights(ids)]);
      const rightsById = new Map<string, Entitlement>();
      for (const right of rights) if (right && !(right instanceof Error)) rightsById.set(right.contentId, right);
      return contents.map((entity): Tile => {
        const right = rightsById.get(entity.id);
        return { content: entity, entitled: right?.entitled ?? true, badge: right?.badge ?? "" };
      });
    },
    genreList: async (genre) => (await genreLists.load(genre)) ?? [],
    history: async () => (ctx.userId ? ((await histories.load(ctx.userId)) ?? []) : []),
    favorites: async () => (ctx.userId ? ((await favorites.load(ctx.userId)) ?? []) : []),
    topPicks: async () => (await topPicks.load(ctx.persona)) ?? [],
  };

  return {
    scheduler,
    plan() {
      planAsked ??= knownPlan
        ? Promise.resolve(knownPlan)
        : plans.load(ctx.userId).then((plan) => plan || undefined, () => undefined);
      return planAsked;
    },
    knownPlan: () => knownPlan,
    forBinder() {
      let calls = 0;
      const counted = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A): R => {
        calls++;
        return fn(...args);
      };
      return {
        content: counted(facade.content),
        tiles: counted(facade.tiles),
        genreList: counted(facade.genreList),
        history: counted(facade.history),
        favorites: counted(facade.favorites),
        topPicks: counted(facade.topPicks),
        get calls() {
          return calls;
        },
      };
    },
  };
}
