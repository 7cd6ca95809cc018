import type { MessageCatalogs } from "../../widget-registry/sdk.ts";

/** Genre names are the catalog's (keys); the title names the title's genre. */
export const genres: MessageCatalogs = {
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

export const messages: MessageCatalogs = {
  en: { ...genres.en, title: "More {genre}" },
  fr: { ...genres.fr, title: "Encore : {genre}" },
};
