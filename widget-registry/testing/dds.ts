/**
 * The DDS a binder test runs against: the real services over the demo catalog, or the same
 * services over fixture data of the test's choice. Either way kids filtering, localized titles and
 * sized artwork come from the real DDS code, not from a mock.
 */
import { create } from "@bufbuild/protobuf";
import { BatchGetTopPicksResponseSchema, type BatchGetTopPicksRequest } from "../../protos/gen/tessera/dds/v1/reco_pb.js";
import type { Catalog, Film } from "../../dds/catalog/films.ts";
import { inProcessDdsClient, type DdsClient } from "../../dds/client.ts";
import { createDdsServices, createDdsServicesFrom } from "../../dds/services.ts";
import type { HistoryEntryData, UserData, UserStore } from "../../dds/user/store.ts";

export type { DdsClient } from "../../dds/client.ts";
export type { Film } from "../../dds/catalog/films.ts";

export const TEST_IMAGE_BASE = "http://tessera.test/images";

let demo: DdsClient | undefined;

/** The real DDS over the demo catalog (3,201 films, seeded users and personas), built once per process. */
export function demoDds(): DdsClient {
  demo ??= inProcessDdsClient(createDdsServices({ imageBaseUrl: TEST_IMAGE_BASE }));
  return demo;
}

export interface DdsFixtures {
  /** The catalog; only `id` and `title` are required, the rest defaults to unrated, 2000, "Drama". */
  films: Array<Partial<Film> & Pick<Film, "id" | "title">>;
  /** Top picks per persona; a persona absent here gets weighted picks from `films`. */
  topPicks?: Record<string, string[]>;
  /** History and favorites per user; a user absent here has none. */
  users?: Record<string, { history?: Array<Pick<HistoryEntryData, "contentId" | "progressPercent">>; favorites?: string[] }>;
}

function fixtureCatalog(films: DdsFixtures["films"]): Catalog {
  const full = films.map((film): Film => ({
    ageRating: "",
    releaseYear: 2000,
    genre: "Drama",
    director: "",
    imdbRating: 7,
    imdbVotes: 1000,
    runningTimeMin: 100,
    ...film,
  }));
  return { films: full, byId: new Map(full.map((film) => [film.id, film])) };
}

function fixtureUserStore(users: NonNullable<DdsFixtures["users"]>): UserStore {
  const data = new Map<string, UserData>(
    Object.entries(users).map(([userId, user]) => [
      userId,
      {
        history: (user.history ?? []).map((entry, i) => ({ ...entry, updatedAtMs: Date.UTC(2026, 0, 1) - i * 60_000 })),
        favorites: [...(user.favorites ?? [])],
      },
    ]),
  );
  const of = (userId: string): UserData => data.get(userId) ?? { history: [], favorites: [] };
  return {
    getHistories: async (userIds) => userIds.map((id) => of(id).history.map((entry) => ({ ...entry }))),
    getFavorites: async (userIds) => userIds.map((id) => [...of(id).favorites]),
    async recordProgress() {
      throw new Error("fixture user data is read-only");
    },
    async toggleFavorite() {
      throw new Error("fixture user data is read-only");
    },
    async close() {},
  };
}

/** Every real DDS service over fixture data. */
export function fixtureDds(fixtures: DdsFixtures): DdsClient {
  const services = createDdsServicesFrom({
    imageBaseUrl: TEST_IMAGE_BASE,
    catalog: fixtureCatalog(fixtures.films),
    userStore: fixtureUserStore(fixtures.users ?? {}),
  });
  const { reco } = services;
  const topPicks = fixtures.topPicks ?? {};
  return inProcessDdsClient({
    ...services,
    reco: {
      async batchGetTopPicks(request: BatchGetTopPicksRequest) {
        const generated = await reco.batchGetTopPicks(request);
        return create(BatchGetTopPicksResponseSchema, {
          topPicks: generated.topPicks.map((picks) => ({
            personaId: picks.personaId,
            contentIds: topPicks[picks.personaId] ?? picks.contentIds,
          })),
        });
      },
    },
  });
}
