/** The user's favorites as a grid, most recently added first. */
import { create, defineBinder, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { GridSchema } from "../../protos/gen/tessera/widgets/v1/grid_pb.js";
import { messages } from "./messages.ts";

export default defineBinder({
  type: "favorites",
  body: "grid",
  templates: [{ version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" }],
  configSchema: z.object({
    limit: z.number().int().min(1).max(50).default(12),
    columns: z.number().int().min(1).max(8).default(4),
  }),
  cacheScope: "user",
  deadlineMs: 250,
  maxItems: 50,
  messages,

  async fetch(_ctx, config, dds): Promise<Tile[]> {
    return dds.tiles((await dds.favorites()).slice(0, config.limit));
  },

  bind(tiles, ctx, config) {
    if (tiles.length === 0) return null;
    return create(GridSchema, { title: ctx.t("title"), columns: config.columns, items: tiles.map((tile) => toItem(tile, ctx)) });
  },
});
