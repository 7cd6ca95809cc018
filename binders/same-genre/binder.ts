/** The page's title's genre (`contentId`), by votes, without the title; "see all" opens the genre page. */
import { create, defineBinder, openPage, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { messages } from "./messages.ts";

interface SameGenre {
  genre: string;
  tiles: Tile[];
}

export default defineBinder({
  type: "same-genre",
  body: "tray",
  templates: [{ version: "1", minClientVersion: { web: "5.0.0", android: "5.0.0", ios: "5.0.0", tv: "5.0.0" }, status: "active" }],
  configSchema: z.object({
    limit: z.number().int().min(1).max(50).default(20),
  }),
  cacheScope: "public",
  deadlineMs: 250,
  maxItems: 50,
  messages,

  async fetch(ctx, config, dds): Promise<SameGenre> {
    const contentId = ctx.params.contentId ?? "";
    const [subject] = await dds.content([contentId]);
    if (!subject?.genre) return { genre: "", tiles: [] };
    const ids = (await dds.genreList(subject.genre)).filter((id) => id !== contentId).slice(0, config.limit);
    return { genre: subject.genre, tiles: await dds.tiles(ids) };
  },

  bind({ genre, tiles }, ctx) {
    if (tiles.length === 0) return null;
    return create(TraySchema, {
      title: ctx.t("title", { genre: ctx.t(genre) }),
      items: tiles.map((tile) => toItem(tile, ctx)),
      seeAllLink: `tessera://genre/${encodeURIComponent(genre)}`,
      seeAll: openPage("genre", { genre }),
    });
  },
});
