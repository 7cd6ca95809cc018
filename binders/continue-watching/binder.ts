/** The titles the user has started, most recent first, each with its progress. */
import { create, defineBinder, toItem, z, type HistoryEntry, type Tile } from "../../widget-registry/sdk.ts";
import { ContinueWatchingTraySchema } from "../../protos/gen/tessera/widgets/v1/continue_watching_pb.js";
import { messages } from "./messages.ts";

interface Data {
  history: HistoryEntry[];
  tiles: Tile[];
}

export default defineBinder({
  type: "continue-watching",
  body: "continueWatching",
  templates: [{ version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" }],
  configSchema: z.object({ limit: z.number().int().min(1).max(50).default(20) }),
  cacheScope: "user",
  deadlineMs: 250,
  maxItems: 50,
  messages,

  async fetch(_ctx, config, dds): Promise<Data> {
    const history = (await dds.history()).slice(0, config.limit);
    return { history, tiles: await dds.tiles(history.map((entry) => entry.contentId)) };
  },

  bind({ history, tiles }, ctx) {
    if (tiles.length === 0) return null;
    const progress = new Map(history.map((entry) => [entry.contentId, entry.progressPercent]));
    return create(ContinueWatchingTraySchema, {
      title: ctx.t("title"),
      items: tiles.map((tile) => toItem(tile, ctx, { progressPercent: progress.get(tile.content.id) ?? 0 })),
    });
  },
});
