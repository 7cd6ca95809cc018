/** The content DDS: catalog entities enriched for the audience, and genre lists. */
import { create } from "@bufbuild/protobuf";
import {
  BatchGetContentResponseSchema,
  BatchGetGenreListsResponseSchema,
  ContentSchema,
  type BatchGetContentRequest,
  type BatchGetContentResponse,
  type BatchGetGenreListsRequest,
  type BatchGetGenreListsResponse,
  type Content,
} from "../../protos/gen/tessera/dds/v1/content_pb.js";
import type { Audience } from "../../protos/gen/tessera/dds/v1/audience_pb.js";
import { loadCatalog, type Catalog, type Film } from "../catalog/films.ts";
import { isAllowedFor, localizedTitle } from "./audience-rules.ts";
import { heroImage, isFormFactor, tileImage, type FormFactor } from "./images.ts";

const DEFAULT_LIST_LIMIT = 50;

export interface ContentServiceOptions {
  /** Base URL of artwork, e.g. "http://127.0.0.1:8080/images". */
  imageBaseUrl: string;
}

export function createContentService(options: ContentServiceOptions, catalog: Catalog = loadCatalog()) {
  const byGenreByVotes = indexGenresByVotes(catalog.films);
  // A film's entity for one language and form factor never changes while the catalog does not:
  // built once, then shared (callers treat entities as read-only).
  const entities = new Map<string, Map<string, Content>>();
  const entitiesFor = (audience: Audience | undefined, formFactor: FormFactor) => {
    const key = `${audience?.locale ?? "en"}|${formFactor}`;
    let forAudience = entities.get(key);
    if (!forAudience) {
      forAudience = new Map();
      entities.set(key, forAudience);
    }
    return forAudience;
  };

  function toContent(film: Film, audience: Audience | undefined, formFactor: FormFactor): Content {
    return create(ContentSchema, {
      id: film.id,
      title: localizedTitle(audience?.locale ?? "en", film),
      ageRating: film.ageRating,
      releaseYear: film.releaseYear,
      genre: film.genre,
      director: film.director,
      imdbRating: film.imdbRating,
      imdbVotes: film.imdbVotes,
      runningTimeMin: film.runningTimeMin,
      tileImage: tileImage(options.imageBaseUrl, film.id, formFactor),
      heroImage: heroImage(options.imageBaseUrl, film.id, formFactor),
    });
  }

  return {
    async batchGetContent(request: BatchGetContentRequest): Promise<BatchGetContentResponse> {
      const cohort = request.audience?.cohort ?? "";
      const formFactor = formFactorOf(request.audience);
      const contents: Content[] = [];
      const built = entitiesFor(request.audience, formFactor);
      for (const id of new Set(request.ids)) {
        const film = catalog.byId.get(id);
        if (!film || !isAllowedFor(cohort, film)) continue;
        let content = built.get(id);
        if (!content) {
          content = toContent(film, request.audience, formFactor);
          built.set(id, content);
        }
        contents.push(content);
      }
      return create(BatchGetContentResponseSchema, { contents });
    },

    async batchGetGenreLists(request: BatchGetGenreListsRequest): Promise<BatchGetGenreListsResponse> {
      const cohort = request.audience?.cohort ?? "";
      const limit = request.limit > 0 ? request.limit : DEFAULT_LIST_LIMIT;
      const lists = [...new Set(request.genres)].map((genre) => {
        const contentIds: string[] = [];
        for (const film of byGenreByVotes.get(genre) ?? []) {
          if (contentIds.length >= limit) break;
          if (isAllowedFor(cohort, film)) contentIds.push(film.id);
        }
        return { genre, contentIds };
      });
      return create(BatchGetGenreListsResponseSchema, { lists });
    },
  };
}

function formFactorOf(audience: Audience | undefined): FormFactor {
  const value = audience?.formFactor ?? "";
  return isFormFactor(value) ? value : "desktop";
}

function indexGenresByVotes(films: readonly Film[]): Map<string, Film[]> {
  const index = new Map<string, Film[]>();
  for (const film of films) {
    if (!film.genre) continue;
    const list = index.get(film.genre) ?? [];
    list.push(film);
    index.set(film.genre, list);
  }
  for (const list of index.values()) list.sort((a, b) => b.imdbVotes - a.imdbVotes);
  return index;
}
