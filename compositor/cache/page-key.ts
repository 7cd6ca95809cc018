/** The key of an anonymous caller's whole page: everything of the request that can change it. */
import type { PublishedLayout } from "../../layout-service/model.ts";
import type { RequestContext } from "../../widget-registry/context.ts";
import { dimensionsKey, KEY_SEPARATOR } from "../../widget-registry/request-dimensions.ts";
import { parametersKey } from "./widget-key.ts";

export function pageKey(published: PublishedLayout, ctx: RequestContext, dataVersion: string): string {
  return `${published.layout.pageId}${KEY_SEPARATOR}${published.version}${KEY_SEPARATOR}${dimensionsKey(ctx, "page")}${KEY_SEPARATOR}${dataVersion}${parametersKey(ctx.params)}`;
}
