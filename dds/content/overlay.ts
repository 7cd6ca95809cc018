/**
 * The content DDS's editorial overlay over the catalog: overridden fields of titles, taken-down
 * titles, genre list edits. It applies the updates of the content-change stream (changes.ts).
 */
import type { Film } from "../catalog/films.ts";
import { genreEntity, titleEntity, type ContentUpdate, type GenreState, type TitleState } from "./changes.ts";

export interface ContentOverlay {
  /** Applies an update; an older one than the entity's last is ignored. */
  apply(update: ContentUpdate): void;
  /** The last update's seq of the entity, 0 when it has none. */
  revision(entity: string): number;
  /** `revision` of a title's entity, looked up by its content id (once per title of every answer). */
  titleRevision(contentId: string): number;
  /** The highest seq applied: the overlay holds every update up to it (the stream is applied in order). */
  readonly seq: number;
  title(contentId: string): TitleState | undefined;
  takenDown(contentId: string): boolean;
  genre(genre: string): GenreState | undefined;
}

const TITLE_PREFIX = titleEntity("");

export function createContentOverlay(): ContentOverlay {
  const updates = new Map<string, ContentUpdate>();
  const titles = new Map<string, ContentUpdate>();
  const takenDown = new Set<string>();
  let seq = 0;
  return {
    apply(update) {
      if ((updates.get(update.entity)?.seq ?? 0) >= update.seq) return;
      updates.set(update.entity, update);
      if (update.seq > seq) seq = update.seq;
      const contentId = update.entity.startsWith(TITLE_PREFIX) ? update.entity.slice(TITLE_PREFIX.length) : undefined;
      if (contentId === undefined) return;
      titles.set(contentId, update);
      if ((update.state as TitleState).takenDown) takenDown.add(contentId);
      else takenDown.delete(contentId);
    },
    revision: (entity) => updates.get(entity)?.seq ?? 0,
    get seq() {
      return seq;
    },
    titleRevision: (contentId) => titles.get(contentId)?.seq ?? 0,
    title: (contentId) => titles.get(contentId)?.state as TitleState | undefined,
    takenDown: (contentId) => takenDown.has(contentId),
    genre: (genre) => updates.get(genreEntity(genre))?.state as GenreState | undefined,
  };
}

/** The film with the overlay's fields. */
export function editedFilm(film: Film, state: TitleState | undefined): Film {
  if (!state) return film;
  return { ...film, title: state.title ?? film.title, imdbRating: state.imdbRating ?? film.imdbRating };
}
