/** The masthead: the highest IMDB-rated of the persona's top picks, as large slides. */
import { create, defineBinder, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { HeroSchema } from "../../protos/gen/tessera/widgets/v1/hero_pb.js";
import { messages } from "./messages.ts";

export default defineBinder({
  type: "hero",
  body: "hero",
  templates: [
    // Deprecated: still served to clients older than template 2 needs, never to one that renders 2.
    { version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "deprecated" },
    { version: "2", minClientVersion: { web: "5.0.0", android: "5.0.0", ios: "5.0.0", tv: "3.0.0" }, status: "active" },
  ],
  configSchema: z.object({
    slides: z.number().int().min(1).max(10).default(5),
    rotateSeconds: z.number().int().min(0).max(60).default(8),
  }),
  cacheScope: "persona",
  deadlineMs: 250,
  maxItems: 10,
  messages,

  async fetch(_ctx, config, dds): Promise<Tile[]> {
    const tiles = await dds.tiles(await dds.topPicks());
    return tiles.sort((a, b) => b.content.imdbRating - a.content.imdbRating).slice(0, config.slides);
  },

  bind(tiles, ctx, config) {
    if (tiles.length === 0) return null;
    return create(HeroSchema, {
      slides: tiles.map((tile) => toItem(tile, ctx, { artwork: "hero" })),
      rotateSeconds: config.rotateSeconds,
    });
  },
});
