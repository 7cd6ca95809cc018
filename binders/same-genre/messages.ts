import { GENRE_NAMES, type MessageCatalogs } from "../../widget-registry/sdk.ts";

export const messages: MessageCatalogs = {
  en: { ...GENRE_NAMES.en, title: "More {genre}" },
  fr: { ...GENRE_NAMES.fr, title: "Encore : {genre}" },
};
