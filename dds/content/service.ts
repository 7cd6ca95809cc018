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
import { createContentOverlay, editedFilm, type ContentOverlay } from "./overlay.ts";

const DEFAULT_LIST_LIMIT = 50;

export interface ContentServiceOptions {
  /** Base URL of artwork, e.g. "http://127.0.0.1:8080/images". */
  imageBaseUrl: string;
  /** Editorial changes over the catalog; none by default. */
  overlay?: ContentOverlay;
}

export function createContentService(options: ContentServiceOptions, catalog: Catalog = loadCatalog()) {
  const byGenreByVotes = indexGenresByVotes(catalog.films);
  const overlay = options.overlay ?? createContentOverlay();
  // A film's entity for one language and form factor changes only with the catalog or its overlay:
  // built once per overlay revision, then shared (callers treat entities as read-only).
  const entities = new Map<string, Map<string, { revision: number; content: Content }>>();
  const entitiesFor = (audience: Audience | undefined, formFactor: FormFactor) => {
    const key = `${audience?.locale ?? "en"}|${formFactor}`;
    let forAudience = entities.get(key);
    if (!forAudience) {
      forAudience = new Map();
      entities.set(key, forAudience);
    }
    return forAudience;
  };

  function toContent(catalogFilm: Film, audience: Audience | undefined, formFactor: FormFactor): Content {
    const edits = overlay.title(catalogFilm.id);
    const film = editedFilm(catalogFilm, edits);
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
      tileImage: tileImage(options.imageBaseUrl, film.id, formFactor, edits?.artwork),
      heroImage: heroImage(options.imageBaseUrl, film.id, formFactor, edits?.artwork),
    });
  }

  /** The genre's films by votes, with the overlay's additions and removals. */
  function genreFilms(genre: string): readonly Film[] {
    const listed = byGenreByVotes.get(genre) ?? [];
    const edits = overlay.genre(genre);
    if (!edits) return listed;
    const films = listed.filter((film) => edits[film.id] !== "removed");
    for (const [id, edit] of Object.entries(edits)) {
      const film = catalog.byId.get(id);
      if (edit === "added" && film && film.genre !== genre) films.push(film);
    }
    return films.sort((a, b) => b.imdbVotes - a.imdbVotes);
  }

  return {
    async batchGetContent(request: BatchGetContentRequest): Promise<BatchGetContentResponse> {
      const cohort = request.audience?.cohort ?? "";
      const formFactor = formFactorOf(request.audience);
      const contents: Content[] = [];
      const built = entitiesFor(request.audience, formFactor);
      for (const id of new Set(request.ids)) {
        const film = catalog.byId.get(id);
        if (!film || !isAllowedFor(cohort, film) || overlay.takenDown(id)) continue;
        const revision = overlay.titleRevision(id);
        let entry = built.get(id);
        if (entry?.revision !== revision) {
          entry = { revision, content: toContent(film, request.audience, formFactor) };
          built.set(id, entry);
        }
        contents.push(entry.content);
      }
      return create(BatchGetContentResponseSchema, { contents });
    },

    async batchGetGenreLists(request: BatchGetGenreListsRequest): Promise<BatchGetGenreListsResponse> {
      const cohort = request.audience?.cohort ?? "";
      const limit = request.limit > 0 ? request.limit : DEFAULT_LIST_LIMIT;
      const lists = [...new Set(request.genres)].map((genre) => {
        const contentIds: string[] = [];
        for (const film of genreFilms(genre)) {
          if (contentIds.length >= limit) break;
          if (isAllowedFor(cohort, film) && !overlay.takenDown(film.id)) contentIds.push(film.id);
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
