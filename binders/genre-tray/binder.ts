/**
 * A genre's most-voted titles; recent ones badged "new" while flag `tray-new-badge` is on. It pages:
 * `limit` titles at a time through the genre's list (its cursor is the offset of the next ones).
 */
import { create, defineBinder, GENRES, openPage, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { messages } from "./messages.ts";

export const NEW_BADGE_FLAG = "tray-new-badge";

/** One page of the tray: its tiles, and the offset of the next ones ("" after the last). */
interface TrayPage {
  tiles: Tile[];
  next: string;
}

/** The offset a cursor names: "" is the first page. */
function offsetOf(cursor: string): number {
  if (cursor === "") return 0;
  if (!/^\d{1,4}$/.test(cursor)) throw new Error(`cursor "${cursor}" is not an offset`);
  return Number(cursor);
}

export default defineBinder({
  type: "genre-tray",
  body: "tray",
  templates: [{ version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "active" }],
  configSchema: z.object({
    genre: z.enum(GENRES as [string, ...string[]]),
    limit: z.number().int().min(1).max(50).default(20),
    /** Titles released in or after this year are "new". */
    newSinceYear: z.number().int().min(1900).max(2100).default(2009),
  }),
  cacheScope: "public",
  deadlineMs: 250,
  maxItems: 50,
  messages,

  async fetch(ctx, config, dds): Promise<TrayPage> {
    const offset = offsetOf(ctx.cursor);
    const list = await dds.genreList(config.genre);
    const end = offset + config.limit;
    return { tiles: await dds.tiles(list.slice(offset, end)), next: end < list.length ? String(end) : "" };
  },

  nextCursor: (page) => page.next,

  bind({ tiles }, ctx, config) {
    if (tiles.length === 0) return null;
    const badgeNew = ctx.flags.isOn(NEW_BADGE_FLAG, false);
    const isNew = (tile: Tile) => badgeNew && tile.content.releaseYear >= config.newSinceYear;
    return create(TraySchema, {
      title: ctx.t(config.genre),
      items: tiles.map((tile) => toItem(tile, ctx, isNew(tile) ? { badge: "new" } : {})),
      // The link for clients older than the see_all action; newer ones open the genre page.
      seeAllLink: `tessera://genre/${encodeURIComponent(config.genre)}`,
      seeAll: openPage("genre", { genre: config.genre }),
    });
  },
});
