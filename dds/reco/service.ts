/**
 * The reco DDS: each persona's top picks, 50 titles weighted toward high IMDB ratings, with the id
 * of the recommendation that made them. The id is a hash of the persona and its list: the same
 * answer always has the same id, so a widget kept in a cache logs the id of the list it shows.
 */
import { create } from "@bufbuild/protobuf";
import { BatchGetTopPicksResponseSchema, type BatchGetTopPicksRequest } from "../../protos/gen/tessera/dds/v1/reco_pb.js";
import { loadCatalog, type Catalog } from "../catalog/films.ts";
import { hashSeed, seededRandom, weightedSample } from "../catalog/prng.ts";

const TOP_PICKS_SIZE = 50;

export function createRecoService(catalog: Catalog = loadCatalog()) {
  const topPicks = new Map<string, { contentIds: string[]; requestId: string }>();
  const topPicksOf = (personaId: string) => {
    let picks = topPicks.get(personaId);
    if (!picks) {
      const random = seededRandom(hashSeed(`persona:${personaId}`));
      // Rating to the 6th power: an 8.5 film is about 5x as likely as a 6.0 one.
      const contentIds = weightedSample(catalog.films, (film) => film.imdbRating ** 6, TOP_PICKS_SIZE, random).map((film) => film.id);
      const requestId = `reco-${hashSeed(`${personaId}:${contentIds.join(",")}`)
        .toString(16)
        .padStart(8, "0")}`;
      picks = { contentIds, requestId };
      topPicks.set(personaId, picks);
    }
    return picks;
  };

  return {
    async batchGetTopPicks(request: BatchGetTopPicksRequest) {
      return create(BatchGetTopPicksResponseSchema, {
        topPicks: [...new Set(request.personaIds)].map((personaId) => ({ personaId, ...topPicksOf(personaId) })),
      });
    },
  };
}
