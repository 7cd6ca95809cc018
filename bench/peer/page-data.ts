/**
 * The Mercurius peer's data access for one request: a DataLoader per DDS method over Tessera's own
 * DDS client, so that every resolver of the page shares one batch per method and level of the
 * query, and the items built as Tessera builds them.
 */
import DataLoader from "dataloader";
import type { DdsClient } from "../../dds/client.ts";
import type { HistoryEntry } from "../../protos/gen/tessera/dds/v1/user_pb.js";
import type { Content } from "../../protos/gen/tessera/dds/v1/content_pb.js";
import type { Entitlement } from "../../protos/gen/tessera/dds/v1/entitlement_pb.js";
import type { Tile } from "../../widget-registry/sdk.ts";

export interface Caller {
  /** "" when anonymous. */
  userId: string;
  persona: string;
  cohort: string;
}

/** The reference page's audience: web, so the desktop form factor, in English. */
const FORM_FACTOR = "desktop";
const LOCALE = "en";

/** A loader whose batch is one DDS call answering some of the keys, in any order; `calls` counts them. */
function batched<V>(counter: { calls: number }, call: (keys: string[]) => Promise<Array<[string, V]>>) {
  return new DataLoader<string, V | undefined>(
    async (keys) => {
      counter.calls++;
      const found = new Map(await call([...keys]));
      return keys.map((key) => found.get(key));
    },
    // Dispatch after the event loop's current phase, not the current tick: answers that arrive in
    // one phase (e.g. timers of a simulated latency) then ask for the next level in one batch.
    { batchScheduleFn: (dispatch) => setImmediate(dispatch) },
  );
}

export class PageData {
  /** DDS calls made so far. */
  calls = 0;
  readonly caller: Caller;
  readonly #topPicks;
  readonly #histories;
  readonly #favorites;
  readonly #genreLists;
  readonly #content;
  readonly #entitlements;

  constructor(dds: DdsClient, caller: Caller) {
    const audience = { cohort: caller.cohort, formFactor: FORM_FACTOR, locale: LOCALE, region: "" };
    this.caller = caller;
    this.#topPicks = batched(this, async (personaIds) =>
      (await dds.reco.batchGetTopPicks({ personaIds })).topPicks.map((picks) => [picks.personaId, picks.contentIds]),
    );
    this.#histories = batched(this, async (userIds) =>
      (await dds.user.batchGetHistory({ userIds })).histories.map((history) => [history.userId, history.entries]),
    );
    this.#favorites = batched(this, async (userIds) =>
      (await dds.user.batchGetFavorites({ userIds })).favorites.map((entry) => [entry.userId, entry.contentIds]),
    );
    this.#genreLists = batched(this, async (genres) =>
      (await dds.content.batchGetGenreLists({ genres, audience })).lists.map((list) => [list.genre, list.contentIds]),
    );
    this.#content = batched<Content>(this, async (ids) =>
      (await dds.content.batchGetContent({ ids, audience })).contents.map((content) => [content.id, content]),
    );
    this.#entitlements = batched<Entitlement>(this, async (contentIds) =>
      (await dds.entitlement.batchGetEntitlements({ userId: caller.userId, contentIds })).entitlements.map((right) => [
        right.contentId,
        right,
      ]),
    );
  }

  async topPicks(): Promise<readonly string[]> {
    return (await this.#topPicks.load(this.caller.persona)) ?? [];
  }

  async history(): Promise<readonly HistoryEntry[]> {
    return this.caller.userId ? ((await this.#histories.load(this.caller.userId)) ?? []) : [];
  }

  async favorites(): Promise<readonly string[]> {
    return this.caller.userId ? ((await this.#favorites.load(this.caller.userId)) ?? []) : [];
  }

  async genreList(genre: string): Promise<readonly string[]> {
    return (await this.#genreLists.load(genre)) ?? [];
  }

  /** Content joined with the caller's entitlements, in the order asked; ids the DDS does not answer are dropped. */
  async tiles(ids: readonly string[]): Promise<Tile[]> {
    const [contents, rights] = await Promise.all([this.#content.loadMany(ids), this.#entitlements.loadMany(ids)]);
    const tiles: Tile[] = [];
    contents.forEach((content, i) => {
      if (content === undefined || content instanceof Error) return;
      const right = rights[i];
      const known = right !== undefined && !(right instanceof Error);
      tiles.push({ content, entitled: known ? right.entitled : true, badge: known ? right.badge : "" });
    });
    return tiles;
  }
}
