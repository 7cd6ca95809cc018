import { GENRE_NAMES, type MessageCatalogs } from "../../widget-registry/sdk.ts";

/** The grid's title is its genre's name. */
export const messages: MessageCatalogs = GENRE_NAMES;
