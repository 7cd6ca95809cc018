/** The persona's top picks, best first. */
import { create, defineBinder, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { messages } from "./messages.ts";

export default defineBinder({
  type: "top-picks",
  body: "tray",
  templates: [{ version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" }],
  configSchema: z.object({ limit: z.number().int().min(1).max(50).default(20) }),
  cacheScope: "persona",
  deadlineMs: 250,
  maxItems: 50,
  messages,

  async fetch(_ctx, config, dds): Promise<Tile[]> {
    return (await dds.tiles(await dds.topPicks())).slice(0, config.limit);
  },

  bind(tiles, ctx) {
    if (tiles.length === 0) return null;
    return create(TraySchema, { title: ctx.t("title"), items: tiles.map((tile) => toItem(tile, ctx)) });
  },
});
