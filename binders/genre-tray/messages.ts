import { GENRE_NAMES, type MessageCatalogs } from "../../widget-registry/sdk.ts";

/** A tray's title is its genre's name. */
export const messages: MessageCatalogs = GENRE_NAMES;
