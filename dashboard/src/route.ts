/** The dashboard's place in the URL hash: #/ (pages) or #/pages/<pageId>[/<variantId>][?view=...]. */
import { useEffect, useState } from "preact/hooks";

export interface Route {
  pageId?: string;
  variantId?: string;
}

export function parseRoute(hash: string): Route {
  const [, pageId, variantId] = /^#\/pages\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?/.exec(hash) ?? [];
  return { pageId, variantId };
}

export function href(route: Route): string {
  if (!route.pageId) return "#/";
  return `#/pages/${route.pageId}${route.variantId ? `/${route.variantId}` : ""}`;
}

export function useRoute(): [Route, (route: Route, replace?: boolean) => void] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  const go = (next: Route, replace = false) => {
    const target = href(next);
    if (replace) history.replaceState(null, "", target);
    else if (location.hash !== target) history.pushState(null, "", target);
    setRoute(next);
  };
  return [route, go];
}
