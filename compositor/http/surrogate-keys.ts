/**
 * Surrogate keys (cache tags): what a shared cache's copy of a page shows, so that a change purges
 * exactly the copies it makes stale (compositor/edge/). Sent space-separated in one header, `xkey`,
 * which the shipped Varnish VCL (deploy/varnish/) purges by; docs/deploy.md says how Fastly
 * (Surrogate-Key) and Cloudflare (Cache-Tag) take them.
 */
import type { Page } from "../../protos/gen/tessera/page/v1/page_pb.js";

export const SURROGATE_KEY_HEADER = "xkey";

/** Spaces separate keys and commas separate Cloudflare's tags: neither may be in one. */
const keyOf = (text: string) => text.replace(/[\s,%]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

/** Every copy of a page, whatever its layout version, request dimensions or variant. */
export const pageKey = (pageId: string) => keyOf(`page:${pageId}`);

/** Copies showing an entity of the content DDS (dds/content/changes.ts: `content:<id>`, `genre:<genre>`). */
export const entityKey = (entity: string) => keyOf(entity);

/** Varnish refuses a response header over 8 KB (its http_resp_hdr_len), Fastly a Surrogate-Key over 16 KB. */
export const SURROGATE_KEYS_MAX_BYTES = 7_000;

/** Copies of pages that show more entities than their header can name: every content change purges them. */
export const MANY_ENTITIES_KEY = "entities:many";

/** The keys of a page: itself, its layout version, each widget instance, each entity it shows (or MANY_ENTITIES_KEY). */
export function surrogateKeys(page: Page, entities: readonly string[]): string {
  const own = [
    pageKey(page.pageId),
    keyOf(`layout:${page.pageId}:${page.layoutVersion}`),
    ...page.widgets.map((widget) => keyOf(`widget:${page.pageId}:${widget.instanceId}`)),
  ];
  const all = [...new Set([...own, ...entities.map(entityKey)])].join(" ");
  return all.length <= SURROGATE_KEYS_MAX_BYTES ? all : [...new Set(own), MANY_ENTITIES_KEY].join(" ");
}
