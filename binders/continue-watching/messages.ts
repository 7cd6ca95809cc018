import type { MessageCatalogs } from "../../widget-registry/sdk.ts";

export const messages: MessageCatalogs = {
  en: { title: "Continue watching" },
  fr: { title: "Reprendre la lecture" },
};
