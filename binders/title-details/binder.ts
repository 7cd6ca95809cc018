/**
 * The facts of the page's title (`contentId`): localized genre, a summary line such as
 * "2009 · PG-13 · 1 h 52 min", and whether it is in the signed-in user's favorites (so its scope is "user").
 */
import { create, defineBinder, NotFound, play, toggleFavorite, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { TitleDetailsSchema } from "../../protos/gen/tessera/widgets/v1/title_details_pb.js";
import { messages } from "./messages.ts";

interface Details {
  tile: Tile;
  favorite: boolean;
}

export default defineBinder({
  type: "title-details",
  body: "titleDetails",
  templates: [{ version: "1", minClientVersion: { web: "5.0.0", android: "5.0.0", ios: "5.0.0", tv: "5.0.0" }, status: "active" }],
  configSchema: z.object({}),
  cacheScope: "user",
  deadlineMs: 250,
  messages,

  async fetch(ctx, _config, dds): Promise<Details> {
    const contentId = ctx.params.contentId ?? "";
    const [[tile], favorites] = await Promise.all([dds.tiles([contentId]), dds.favorites()]);
    if (!tile) throw new NotFound(`title "${contentId}" does not exist`);
    return { tile, favorite: favorites.includes(contentId) };
  },

  bind({ tile, favorite }, ctx) {
    const { content } = tile;
    const hours = Math.floor(content.runningTimeMin / 60);
    const minutes = content.runningTimeMin % 60;
    const duration =
      content.runningTimeMin <= 0
        ? ""
        : hours > 0
          ? ctx.t("hours", { hours, minutes: String(minutes).padStart(2, "0") })
          : ctx.t("minutes", { minutes });
    const parts = [content.releaseYear > 0 ? String(content.releaseYear) : "", content.ageRating, duration].filter((part) => part !== "");
    return create(TitleDetailsSchema, {
      item: toItem(tile, ctx, { artwork: "hero", action: play(content.id), secondaryActions: [toggleFavorite(content.id)] }),
      releaseYear: content.releaseYear,
      genre: content.genre ? ctx.t(content.genre) : "",
      director: content.director,
      runningTimeMinutes: content.runningTimeMin,
      imdbRating: content.imdbRating > 0 ? content.imdbRating.toFixed(1) : "",
      favorite,
      summary: parts.join(" · "),
    });
  },
});
