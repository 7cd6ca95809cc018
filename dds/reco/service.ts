/** The reco DDS: each persona's top picks, 50 titles weighted toward high IMDB ratings. */
import { create } from "@bufbuild/protobuf";
import { BatchGetTopPicksResponseSchema, type BatchGetTopPicksRequest } from "../../protos/gen/tessera/dds/v1/reco_pb.js";
import { loadCatalog, type Catalog } from "../catalog/films.ts";
import { hashSeed, seededRandom, weightedSample } from "../catalog/prng.ts";

const TOP_PICKS_SIZE = 50;

export function createRecoService(catalog: Catalog = loadCatalog()) {
  const topPicks = new Map<string, string[]>();
  const topPicksOf = (personaId: string): string[] => {
    let ids = topPicks.get(personaId);
    if (!ids) {
      const random = seededRandom(hashSeed(`persona:${personaId}`));
      // Rating to the 6th power: an 8.5 film is about 5x as likely as a 6.0 one.
      ids = weightedSample(catalog.films, (film) => film.imdbRating ** 6, TOP_PICKS_SIZE, random).map((film) => film.id);
      topPicks.set(personaId, ids);
    }
    return ids;
  };

  return {
    async batchGetTopPicks(request: BatchGetTopPicksRequest) {
      return create(BatchGetTopPicksResponseSchema, {
        topPicks: [...new Set(request.personaIds)].map((personaId) => ({ personaId, contentIds: topPicksOf(personaId) })),
      });
    },
  };
}
