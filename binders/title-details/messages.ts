import { GENRE_NAMES, type MessageCatalogs } from "../../widget-registry/sdk.ts";

export const messages: MessageCatalogs = {
  en: { ...GENRE_NAMES.en, hours: "{hours} h {minutes} min", minutes: "{minutes} min" },
  fr: { ...GENRE_NAMES.fr, hours: "{hours} h {minutes}", minutes: "{minutes} min" },
};
