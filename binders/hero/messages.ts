import type { MessageCatalogs } from "../../widget-registry/sdk.ts";

/** The hero has no title on screen: `heading` is what a screen reader announces for it. */
export const messages: MessageCatalogs = {
  en: { heading: "Featured" },
  fr: { heading: "À la une" },
};
