/** The title page's masthead: one slide of the page's title (`contentId`), tapped to play; favorite among its actions. */
import { create, defineBinder, NotFound, play, toggleFavorite, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { HeroSchema } from "../../protos/gen/tessera/widgets/v1/hero_pb.js";

export default defineBinder({
  type: "title-hero",
  body: "hero",
  templates: [{ version: "1", minClientVersion: { web: "5.0.0", android: "5.0.0", ios: "5.0.0", tv: "5.0.0" }, status: "active" }],
  configSchema: z.object({}),
  cacheScope: "public",
  deadlineMs: 250,
  maxItems: 1,

  async fetch(ctx, _config, dds): Promise<Tile> {
    const contentId = ctx.params.contentId ?? "";
    // The DDS drops a title the audience may not see (e.g. an R title for kids): not found either.
    const [tile] = await dds.tiles([contentId]);
    if (!tile) throw new NotFound(`title "${contentId}" does not exist`);
    return tile;
  },

  bind(tile, ctx) {
    const { id } = tile.content;
    return create(HeroSchema, {
      slides: [toItem(tile, ctx, { artwork: "hero", action: play(id), secondaryActions: [toggleFavorite(id)] })],
      rotateSeconds: 0,
    });
  },
});
