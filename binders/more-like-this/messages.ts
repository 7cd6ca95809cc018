import type { MessageCatalogs } from "../../widget-registry/sdk.ts";

export const messages: MessageCatalogs = {
  en: { title: "More like this" },
  fr: { title: "Dans le même genre" },
};
