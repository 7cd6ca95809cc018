/**
 * Compact items (README.md, "Compact items"): clients of a version that says so derive an item's
 * deep link and default action from its content id and its images' URLs from the page's
 * `image_base_url`, so the page leaves them out for them. Older clients get every `url`,
 * `deep_link` and `action` as before.
 */
import semver from "semver";
import type { Action } from "../protos/gen/tessera/widgets/v1/action_pb.js";
import type { Platform, RequestContext } from "./context.ts";

/** Lowest client version per platform that derives deep links and image URLs. */
export const COMPACT_ITEMS_MIN_CLIENT_VERSION: Readonly<Record<Platform, string>> = {
  web: "6.0.0",
  android: "6.0.0",
  ios: "6.0.0",
  tv: "6.0.0",
};

const DEEP_LINK_PREFIX = "tessera://content/";

/** Where a tap on an item leads: what a compact client derives when `deep_link` is empty. */
export function deepLinkOf(contentId: string): string {
  return DEEP_LINK_PREFIX + contentId;
}

/** Whether `deepLink` is the one `contentId` gives (deepLinkOf), without building it. */
export function isDerivedDeepLink(deepLink: string, contentId: string): boolean {
  return (
    deepLink.length === DEEP_LINK_PREFIX.length + contentId.length && deepLink.startsWith(DEEP_LINK_PREFIX) && deepLink.endsWith(contentId)
  );
}

/** The page a tap on an item opens by default, with the item's content id as parameter `contentId`. */
export const TITLE_PAGE = "title";
export const TITLE_PARAMETER = "contentId";

/** Whether `action` is the default one of the item showing `contentId` (open its title page): what a compact client derives when `action` is absent. */
export function isDefaultAction(action: Action | undefined, contentId: string): boolean {
  if (action?.kind.case !== "openPage") return false;
  const { pageId, parameters } = action.kind.value;
  return pageId === TITLE_PAGE && parameters.length === 1 && parameters[0]!.name === TITLE_PARAMETER && parameters[0]!.value === contentId;
}

// Every page asks this: semver parsing is worth doing once per platform and client version.
const known = new Map<string, boolean>();
const KNOWN_MAX = 1_000;

/** Whether the request's client derives deep links and image URLs. */
export function derivesItemLinks(ctx: Pick<RequestContext, "platform" | "clientVersion">): boolean {
  const key = `${ctx.platform}\u0000${ctx.clientVersion}`;
  let derives = known.get(key);
  if (derives === undefined) {
    const version = semver.coerce(ctx.clientVersion)?.version ?? "0.0.0";
    const min = COMPACT_ITEMS_MIN_CLIENT_VERSION[ctx.platform];
    derives = min !== undefined && semver.gte(version, min);
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(key, derives);
  }
  return derives;
}
