/**
 * The catalog's genres (the DDS's `Content.genre` values, the keys) and their display names per
 * locale: one catalog for every binder that names a genre. A binder spreads it into its messages
 * (`ctx.t(genre)`) and may take its keys as the genres there are.
 */
import type { MessageCatalogs } from "./sdk.ts";

export const GENRE_NAMES: MessageCatalogs = {
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

/** The catalog's genres, in the order the catalog names them. */
export const GENRES: readonly string[] = Object.keys(GENRE_NAMES.en!);
