/**
 * Whole pages of anonymous callers. A page is kept when it holds no user-scoped widget and is not
 * degraded (no widget failed, timed out or was served stale), until its layout's next schedule boundary or the public max age, whichever comes
 * first; it varies by the flags its layout and binders read.
 */
import type { PublishedLayout } from "../../layout-service/model.ts";
import { CacheScope } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { RequestContext } from "../../widget-registry/context.ts";
import type { CompositionCache } from "../cache/composition-cache.ts";
import type { FlagRead } from "../cache/flag-reads.ts";
import { pageKey } from "../cache/page-key.ts";
import { nextScheduleChange } from "../cache/schedule.ts";
import type { CompositorHooks } from "../hooks.ts";
import type { Composition } from "./composition.ts";
import { MAX_AGE_SECONDS } from "./page-assembly.ts";

export class AnonymousPageCache {
  readonly #cache: CompositionCache;
  readonly #hooks: Required<CompositorHooks>;

  constructor(cache: CompositionCache, hooks: Required<CompositorHooks>) {
    this.#cache = cache;
    this.#hooks = hooks;
  }

  key(published: PublishedLayout, ctx: RequestContext): string {
    return pageKey(published, ctx, this.#cache.dataVersion());
  }

  /** The page kept under `key`, timed as served now; undefined when there is none still valid. */
  get(key: string, published: PublishedLayout, ctx: RequestContext, started: number): Composition | undefined {
    const hit = this.#cache.pages.get(key, ctx.flags);
    const valid = hit !== undefined && Date.now() < hit.validUntil;
    this.#hooks.cacheLookup({ ctx, layer: "page", type: published.layout.pageId, hit: valid });
    if (!valid) return undefined;
    const { page } = hit.composition;
    const totalMs = performance.now() - started;
    this.#hooks.pageComposed({
      ctx,
      pageId: page.pageId,
      durationMs: totalMs,
      widgets: page.widgets.length,
      omitted: page.errors.length,
      experiments: page.experiments,
    });
    return { ...hit.composition, timing: { layoutMs: 0, ddsMs: 0, ddsCalls: 0, bindMs: 0, totalMs } };
  }

  /** Keeps `composition` under `key` when it may be shared; `reads` are the flags its composition read, `entities` what it shows. */
  keep(
    key: string,
    published: PublishedLayout,
    ctx: RequestContext,
    reads: readonly FlagRead[],
    composition: Composition,
    entities: readonly string[],
  ): void {
    const { page } = composition;
    const shareable = page.cache?.scope !== CacheScope.USER && !composition.failedEssential && !composition.degraded;
    if (!shareable) return;
    const now = Date.now();
    const validUntil = Math.min(nextScheduleChange(published.layout, now), now + MAX_AGE_SECONDS[CacheScope.PUBLIC] * 1000);
    this.#cache.pages.set(key, reads, ctx.flags, { composition, validUntil, entities });
  }
}
