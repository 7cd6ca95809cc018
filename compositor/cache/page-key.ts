/** The key of an anonymous caller's whole page: everything of the request that can change it. */
import type { PublishedLayout } from "../../layout-service/model.ts";
import type { RequestContext } from "../../widget-registry/context.ts";

export function pageKey(published: PublishedLayout, ctx: RequestContext, dataVersion: string): string {
  return [published.layout.pageId, published.version, ctx.platform, ctx.clientVersion, ctx.formFactor, ctx.locale, ctx.cohort, ctx.region, ctx.persona, dataVersion].join("\u0001");
}
