/**
 * The genre page's grid: the titles of the page's genre (`genre`, one of the catalog's), by votes,
 * titled by the genre. It binds the first `limit` titles from `offset` 0: a page token would carry the next offset.
 */
import { create, defineBinder, GENRES, NotFound, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { GridSchema } from "../../protos/gen/tessera/widgets/v1/grid_pb.js";
import { messages } from "./messages.ts";

interface GenrePage {
  genre: string;
  tiles: Tile[];
}

/** `limit` ids of the genre's list from `offset`. */
export const pageOf = (ids: readonly string[], offset: number, limit: number) => ids.slice(offset, offset + limit);

export default defineBinder({
  type: "genre-grid",
  body: "grid",
  templates: [{ version: "1", minClientVersion: { web: "5.0.0", android: "5.0.0", ios: "5.0.0", tv: "5.0.0" }, status: "active" }],
  configSchema: z.object({
    columns: z.number().int().min(1).max(8).default(4),
    limit: z.number().int().min(1).max(50).default(24),
  }),
  cacheScope: "public",
  deadlineMs: 250,
  maxItems: 50,
  messages,

  async fetch(ctx, config, dds): Promise<GenrePage> {
    const genre = ctx.params.genre ?? "";
    if (!GENRES.includes(genre)) throw new NotFound(`genre "${genre}" does not exist; genres: ${GENRES.join(", ")}`);
    const tiles = await dds.tiles(pageOf(await dds.genreList(genre), 0, config.limit));
    // Nothing of the genre the audience may see (kids asking for horror): not found for them.
    if (tiles.length === 0) throw new NotFound(`genre "${genre}" has no titles`);
    return { genre, tiles };
  },

  bind({ genre, tiles }, ctx, config) {
    return create(GridSchema, { title: ctx.t(genre), columns: config.columns, items: tiles.map((tile) => toItem(tile, ctx)) });
  },
});
