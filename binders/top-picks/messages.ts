import type { MessageCatalogs } from "../../widget-registry/sdk.ts";

export const messages: MessageCatalogs = {
  en: { title: "Top picks for you" },
  fr: { title: "Nos meilleurs choix pour vous" },
};
