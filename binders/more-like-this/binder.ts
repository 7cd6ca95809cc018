/**
 * Titles like the page's title (`contentId`): its director's other titles of its genre first, then
 * the genre's titles released nearest to it, each group by votes; never the title itself.
 */
import { create, defineBinder, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { messages } from "./messages.ts";

/** The titles like `subject`, best first, from its genre's titles (by votes); never `subject` itself. */
export function likeTitles(subject: Tile["content"], genre: readonly Tile[]): Tile[] {
  const others = genre.filter((tile) => tile.content.id !== subject.id);
  const sameDirector = (tile: Tile) => subject.director !== "" && tile.content.director === subject.director;
  const yearsApart = (tile: Tile) => Math.abs(tile.content.releaseYear - subject.releaseYear);
  // A stable sort keeps the genre's order (by votes) within each rank.
  return others.sort((a, b) => Number(sameDirector(b)) - Number(sameDirector(a)) || yearsApart(a) - yearsApart(b));
}

export default defineBinder({
  type: "more-like-this",
  body: "tray",
  templates: [{ version: "1", minClientVersion: { web: "5.0.0", android: "5.0.0", ios: "5.0.0", tv: "5.0.0" }, status: "active" }],
  configSchema: z.object({
    limit: z.number().int().min(1).max(50).default(12),
  }),
  cacheScope: "public",
  deadlineMs: 250,
  maxItems: 50,
  messages,

  async fetch(ctx, config, dds): Promise<Tile[]> {
    const [subject] = await dds.content([ctx.params.contentId ?? ""]);
    // An unknown title is the page's 404 (title-hero); a title without a genre has nothing like it here.
    if (!subject?.genre) return [];
    const genre = await dds.tiles(await dds.genreList(subject.genre));
    return likeTitles(subject, genre).slice(0, config.limit);
  },

  bind(tiles, ctx) {
    if (tiles.length === 0) return null;
    return create(TraySchema, { title: ctx.t("title"), items: tiles.map((tile) => toItem(tile, ctx)) });
  },
});
