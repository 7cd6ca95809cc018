/**
 * A real edge: Varnish 7 with xkey and the shipped VCL (deploy/varnish/) in front of Tessera. The
 * second anonymous request is a hit; a publish purges the page (the next request is a miss with
 * the new layout version) within a second, and so do a rollback and a change of content the page
 * shows; Varnish serves its last copy while Tessera is down.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";
import { loadCatalog } from "../../dds/catalog/films.ts";
import type { ContentChanges } from "../../dds/content/changes.ts";
import { createMemoryContentChanges } from "../../dds/content/memory-changes.ts";
import type { PageLayout } from "../../layout-service/model.ts";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { decodePage } from "../support/page.ts";
import { freePort } from "../support/redis.ts";
import { devToken } from "../support/tessera.ts";
import { startVarnish, type TestVarnish } from "../support/varnish.ts";

/** How long Varnish keeps a page before it asks again (s-maxage): short, so that the outage test can outlive it. */
const EDGE_MAX_AGE_SECONDS = 2;
const PAGE = "/v1/pages/home?platform=web&clientVersion=5.0.0&persona=p3";

let api: LayoutApi;
let varnish: TestVarnish;
let contentChanges: ContentChanges;
beforeAll(async () => {
  const varnishPort = await freePort();
  const env = {
    LOG_LEVEL: "silent",
    DDS_TIMEOUT_MS: "10000",
    PURGE_URL: `http://127.0.0.1:${varnishPort}/`,
    EDGE_MAX_AGE_SECONDS: String(EDGE_MAX_AGE_SECONDS),
  };
  contentChanges = createMemoryContentChanges(loadCatalog());
  api = await startLayoutApi({ config: { ...loadConfig(env), logLevel: "silent" }, contentChanges });
  varnish = await startVarnish(Number(new URL(api.baseUrl).port), varnishPort);
  // Varnish sends nothing to a backend its probe has not yet found healthy.
  await until(async () => (await fetch(`${varnish.url}/healthz`)).status === 200, 15_000, "Varnish finds Tessera healthy");
}, 60_000);
afterAll(async () => {
  await varnish?.stop();
  await api?.stop();
});

async function until(condition: () => Promise<boolean>, deadlineMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!(await condition().catch(() => false))) {
    if (Date.now() - started > deadlineMs) throw new Error(`not within ${deadlineMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function get(path = PAGE, headers: Record<string, string> = {}) {
  const response = await fetch(`${varnish.url}${path}`, { headers, signal: AbortSignal.timeout(15_000) });
  const body = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, body, cache: response.headers.get("x-cache") };
}

async function purges(reason: string): Promise<number> {
  const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
  const line = metrics.split("\n").find((l) => l.startsWith(`tessera_edge_purges_total{reason="${reason}",outcome="ok"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("Varnish in front of Tessera", () => {
  it("answers the second anonymous request from its cache", async () => {
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toMatch(/^public/);
    const second = await get();
    expect(second.cache).toBe("HIT");
    expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(second.body.equals(first.body)).toBe(true);
    // Surrogate keys are for the edge: clients do not see them.
    expect(second.headers.get("xkey")).toBeNull();
  });

  it("never keeps a signed-in caller's page", async () => {
    const authorization = `Bearer ${await devToken({ userId: "u42" })}`;
    for (let i = 0; i < 2; i++) expect((await get(PAGE, { authorization })).cache).toBe("MISS");
  });

  it("purges the page on a publish within a second: the next request is a miss with the new layout version", async () => {
    await get();
    const cached = await get();
    expect(cached.cache).toBe("HIT");
    const before = decodePage(cached.body).layoutVersion;
    const purgedBefore = await purges("publish");

    const current = (await api.store.current("home"))!;
    const layout = structuredClone(current.layout) as PageLayout;
    const published = Date.now();
    const { version } = await api.store.publish({
      pageId: "home",
      layout,
      baseVersion: current.version,
      author: "test",
      publishedAt: new Date().toISOString(),
      message: "a new version for the edge",
    });
    expect(String(version)).not.toBe(before);
    await until(async () => (await purges("publish")) > purgedBefore, 1_000 - (Date.now() - published), "the purge");

    const next = await get();
    expect(next.cache).toBe("MISS");
    expect(decodePage(next.body).layoutVersion).toBe(String(version));
    expect((await get()).cache).toBe("HIT");
  });

  it("purges the page on a rollback", async () => {
    await get();
    expect((await get()).cache).toBe("HIT");
    const purgedBefore = await purges("publish");
    const operator = await api.client("operator");
    const { published } = await operator.getLayout({ pageId: "home" });
    const { version } = await operator.rollback({ pageId: "home", toVersion: 1, baseVersion: published!.version, message: "back" });
    await until(async () => (await purges("publish")) > purgedBefore, 5_000, "the purge");
    const next = await get();
    expect(next.cache).toBe("MISS");
    expect(decodePage(next.body).layoutVersion).toBe(String(version!.version));
  });

  it("purges the page when content it shows changes, and not when content it does not show does", async () => {
    await get();
    expect((await get()).cache).toBe("HIT");
    // Tessera names what the page shows; Varnish keeps that to itself.
    const keys = String(await fetch(api.baseUrl + PAGE).then((response) => response.headers.get("xkey"))).split(" ");
    const shown = new Set(keys.filter((key) => key.startsWith("content:")).map((key) => key.slice("content:".length)));
    const notShown = loadCatalog().films.find((film) => !shown.has(film.id))!;
    const purgedBefore = await purges("content");

    await contentChanges.publish({ kind: "set-rating", contentId: notShown.id, imdbRating: 9.1 });
    await until(async () => (await purges("content")) > purgedBefore, 5_000, "the purge of an entity not shown");
    expect((await get()).cache).toBe("HIT");

    await contentChanges.publish({ kind: "set-rating", contentId: [...shown][0]!, imdbRating: 9.2 });
    await until(async () => (await purges("content")) > purgedBefore + 1, 5_000, "the purge of an entity shown");
    expect((await get()).cache).toBe("MISS");
  });

  it("serves its last copy, past its s-maxage, while Tessera is down", async () => {
    const last = await get();
    expect(last.status).toBe(200);
    await api.tessera.app.close();
    // Down indeed: a page Varnish has no copy of is an error.
    expect((await get(PAGE.replace("persona=p3", "persona=p5"))).status).toBeGreaterThanOrEqual(500);
    let stale: Awaited<ReturnType<typeof get>> | undefined;
    await until(
      async () => {
        stale = await get();
        expect(stale.status).toBe(200);
        return Number(stale.headers.get("age")) > EDGE_MAX_AGE_SECONDS;
      },
      20_000,
      "a copy older than its s-maxage",
    );
    expect(stale!.headers.get("etag")).toBe(last.headers.get("etag"));
    expect(stale!.body.equals(last.body)).toBe(true);
  }, 30_000);
});
