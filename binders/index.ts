/** Every binder this server ships. Only the server's start-up imports this list. */
import type { Binder } from "../widget-registry/sdk.ts";
import continueWatching from "./continue-watching/binder.ts";
import favorites from "./favorites/binder.ts";
import genreGrid from "./genre-grid/binder.ts";
import genreTray from "./genre-tray/binder.ts";
import hero from "./hero/binder.ts";
import moreLikeThis from "./more-like-this/binder.ts";
import sameGenre from "./same-genre/binder.ts";
import titleDetails from "./title-details/binder.ts";
import titleHero from "./title-hero/binder.ts";
import topPicks from "./top-picks/binder.ts";

export const binders: readonly Binder[] = [
  hero,
  continueWatching,
  topPicks,
  genreTray,
  favorites,
  titleHero,
  titleDetails,
  moreLikeThis,
  sameGenre,
  genreGrid,
];
