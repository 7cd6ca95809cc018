/**
 * Editorial changes to display data, as events on a durable, replayable stream. Every change edits
 * one entity (a title, a genre list): it merges a patch into that entity's overlay state, and the
 * stream carries the entity's whole new state with a sequence number that grows with every change.
 * Applying an update is idempotent and an older one (seq not above what is known) is ignored, so a
 * follower may get the same change twice (a replay after a reconnect, a snapshot) without harm.
 */
import { z } from "zod";
import type { Catalog } from "../catalog/films.ts";

/** A change as an operator or a CMS sends it. */
export const contentChangeSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("set-title"), contentId: z.string(), title: z.string().trim().min(1).max(200) }),
  z.object({ kind: z.literal("set-rating"), contentId: z.string(), imdbRating: z.number().min(0).max(10) }),
  z.object({
    kind: z.literal("set-artwork"),
    contentId: z.string(),
    artwork: z.string().regex(/^[\w.-]{1,64}$/, "letters, digits, . _ - (at most 64)"),
  }),
  z.object({ kind: z.literal("takedown"), contentId: z.string() }),
  z.object({ kind: z.literal("genre-add"), genre: z.string(), contentId: z.string() }),
  z.object({ kind: z.literal("genre-remove"), genre: z.string(), contentId: z.string() }),
]);
export type ContentChange = z.infer<typeof contentChangeSchema>;
export const CHANGE_KINDS = contentChangeSchema.options.map((option) => option.shape.kind.value);

/** The overlay state of a title: fields that override the catalog's. */
export interface TitleState {
  title?: string;
  imdbRating?: number;
  artwork?: string;
  takenDown?: boolean;
}

/** The overlay state of a genre list: content id → "added" or "removed". */
export type GenreState = Record<string, "added" | "removed">;

export type EntityState = TitleState | GenreState;

/** The entity a title's display data belongs to. */
export const titleEntity = (contentId: string) => `content:${contentId}`;
/** The entity of a genre list. */
export const genreEntity = (genre: string) => `genre:${genre}`;

/** One entity's new overlay state. */
export interface ContentUpdate {
  /** Grows with every change (of any entity): an update at or below the one applied is old. */
  seq: number;
  entity: string;
  state: EntityState;
}

export type UpdateHandler = (update: ContentUpdate) => void;

/**
 * The content-change stream. Redis Streams by default (redis-changes.ts), in process without Redis
 * (memory-changes.ts); docs/architecture.md says how a Kafka adapter would implement it.
 */
export interface ContentChanges {
  /** Validates the change against the catalog (throws InvalidChange), then appends it; resolves to its update. */
  publish(change: ContentChange): Promise<ContentUpdate>;
  /**
   * Hands every update to `handler`, in order, from now on: first every entity's current state,
   * then the changes as they come (again after a reconnect). Resolves once the current state is in.
   * Handlers of one process are called in the order they followed.
   */
  follow(handler: UpdateHandler): Promise<void>;
  close(): Promise<void>;
}

/** A change that names something the catalog does not have. */
export class InvalidChange extends Error {
  readonly field: string;
  readonly problem: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
    this.problem = problem;
  }
}

/** A change from untrusted input (a request body, a command line); throws InvalidChange. */
export function parseChange(input: unknown): ContentChange {
  const parsed = contentChangeSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new InvalidChange(issue.path.join(".") || "change", issue.message);
}

/** The entity a change edits and the patch it merges into its state. */
export interface EntityPatch {
  entity: string;
  patch: Record<string, string | number | boolean>;
}

/** Checks a change against the catalog and turns it into its entity patch. */
export function patchOf(input: ContentChange, catalog: Catalog): EntityPatch {
  const change = parseChange(input);
  const film = catalog.byId.get(change.contentId);
  if (!film) throw new InvalidChange("contentId", `no content "${change.contentId}" in the catalog`);
  switch (change.kind) {
    case "set-title":
      return { entity: titleEntity(film.id), patch: { title: change.title } };
    case "set-rating":
      return { entity: titleEntity(film.id), patch: { imdbRating: change.imdbRating } };
    case "set-artwork":
      return { entity: titleEntity(film.id), patch: { artwork: change.artwork } };
    case "takedown":
      return { entity: titleEntity(film.id), patch: { takenDown: true } };
    case "genre-add":
    case "genre-remove":
      if (!catalog.films.some((candidate) => candidate.genre === change.genre))
        throw new InvalidChange("genre", `no genre "${change.genre}" in the catalog`);
      return { entity: genreEntity(change.genre), patch: { [film.id]: change.kind === "genre-add" ? "added" : "removed" } };
  }
}
