/**
 * What a tap does: the item's `Action` (protos/tessera/widgets/v1/action.proto). The app knows the
 * four kinds; an action it does not know (a newer contract) is ignored, never an error.
 */
import type { Action } from "../../protos/gen/tessera/widgets/v1/action_pb.js";
import { ApiFailure, toggleFavorite } from "./api.ts";
import { toast } from "./toast.ts";
import type { PageView } from "./view.ts";

/** A button's label for an action. */
export function actionLabel(action: Action): string {
  switch (action.kind.case) {
    case "openPage":
      return "More info";
    case "play":
      return "▶ Play";
    case "openLink":
      return "Open link";
    case "toggleFavorite":
      return "☆ Favorite";
    default:
      return "";
  }
}

/** The label of a favorite button once the server has said whether the title is a favorite. */
export const favoriteLabel = (favorite: boolean) => (favorite ? "★ In favorites" : "☆ Favorite");

/** Runs an action. `onFavorite` hears a toggle_favorite's new state. */
export async function runAction(action: Action, view: PageView, onFavorite?: (favorite: boolean) => void): Promise<void> {
  const { kind } = action;
  switch (kind.case) {
    case "openPage":
      // The page's parameters go into its query by name: /v1/pages/title?contentId=m12&…
      view.open({ pageId: kind.value.pageId, parameters: kind.value.parameters.map(({ name, value }) => ({ name, value })) });
      return;
    case "play":
      // A real client starts its player here.
      toast(`Playing ${kind.value.contentId}`);
      return;
    case "openLink": {
      const { url } = kind.value;
      if (/^https?:\/\//.test(url)) location.assign(url);
      else {
        // A deep link (tessera://…) is the native apps' to route; the web app only shows it.
        console.info("deep link", url);
        toast(`Deep link ${url}`);
      }
      return;
    }
    case "toggleFavorite":
      try {
        const favorite = await toggleFavorite(kind.value.contentId);
        onFavorite?.(favorite);
        toast(favorite ? `${kind.value.contentId} added to your favorites` : `${kind.value.contentId} removed from your favorites`);
      } catch (error) {
        // Anonymous: the server answers 401 with what to do (sign in).
        toast(error instanceof ApiFailure ? `Favorite not changed: ${error.message}` : "Favorite not changed");
      }
      return;
    default:
      return;
  }
}
