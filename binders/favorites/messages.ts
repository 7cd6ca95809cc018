import type { MessageCatalogs } from "../../widget-registry/sdk.ts";

export const messages: MessageCatalogs = {
  en: { title: "My list" },
  fr: { title: "Ma liste" },
};
