import type { MessageCatalogs } from "../../widget-registry/sdk.ts";

/** Keys are the catalog's genre names. */
export const messages: MessageCatalogs = {
  en: {
    Drama: "Drama",
    Comedy: "Comedy",
    Action: "Action",
    Adventure: "Adventure",
    "Thriller/Suspense": "Thrillers",
    Horror: "Horror",
    "Romantic Comedy": "Romantic comedies",
    Musical: "Musicals",
    Documentary: "Documentaries",
    Western: "Westerns",
    "Black Comedy": "Black comedies",
    "Concert/Performance": "Concerts",
  },
  fr: {
    Drama: "Drames",
    Comedy: "Comédies",
    Action: "Action",
    Adventure: "Aventure",
    "Thriller/Suspense": "Thrillers",
    Horror: "Horreur",
    "Romantic Comedy": "Comédies romantiques",
    Musical: "Comédies musicales",
    Documentary: "Documentaires",
    Western: "Westerns",
    "Black Comedy": "Comédies noires",
    "Concert/Performance": "Concerts",
  },
};
