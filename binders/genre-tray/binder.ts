/** A genre's most-voted titles. */
import { create, defineBinder, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { messages } from "./messages.ts";

export default defineBinder({
  type: "genre-tray",
  body: "tray",
  templates: [
    { version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" },
  ],
  configSchema: z.object({
    genre: z.enum(Object.keys(messages.en!) as [string, ...string[]]),
    limit: z.number().int().min(1).max(50).default(20),
  }),
  cacheScope: "public",
  deadlineMs: 250,
  maxItems: 50,
  messages,

  async fetch(_ctx, config, dds): Promise<Tile[]> {
    const ids = (await dds.genreList(config.genre)).slice(0, config.limit);
    return dds.tiles(ids);
  },

  bind(tiles, ctx, config) {
    if (tiles.length === 0) return null;
    return create(TraySchema, {
      title: ctx.t(config.genre),
      items: tiles.map((tile) => toItem(tile)),
      seeAllLink: `tessera://genre/${encodeURIComponent(config.genre)}`,
    });
  },
});
