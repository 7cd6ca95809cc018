/**
 * Purges of the edge (compositor/edge/): Varnish xkey style requests to PURGE_URL, retried a bounded
 * number of times within deadlines and counted; content changes purge the keys of the entities they
 * edit, from the change on (not the state the stream starts with). The edge here is a plain HTTP
 * server that records what it is sent; test/edge/varnish.test.ts purges a real Varnish.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../dds/catalog/films.ts";
import { createMemoryContentChanges } from "../../dds/content/memory-changes.ts";
import { purgeOnContentChange } from "../../compositor/edge/purge-on-change.ts";
import { createPurger, type Purger } from "../../compositor/edge/purger.ts";

interface Received {
  method: string;
  keys: string;
}

let server: Server | undefined;
let purger: Purger | undefined;
afterEach(async () => {
  purger?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = purger = undefined;
});

/** An edge that answers each request with `answer` (or never, when it returns undefined). */
async function edge(answer: (n: number) => number | undefined) {
  const received: Received[] = [];
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    received.push({ method: request.method!, keys: String(request.headers["xkey-purge"]) });
    const status = answer(received.length);
    if (status !== undefined) response.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, received };
}

async function counted(registry: Registry, outcome: string): Promise<number> {
  const metric = await registry.getSingleMetric("tessera_edge_purges_total")!.get();
  return metric.values.filter((value) => value.labels.outcome === outcome).reduce((sum, value) => sum + value.value, 0);
}

describe("the purger", () => {
  it("sends PURGE with the keys in xkey-purge, and counts it", async () => {
    const { url, received } = await edge(() => 200);
    const registry = new Registry();
    purger = createPurger({ url, registry });
    expect(await purger.purge("publish", ["page:home", "content:tt1"])).toBe(true);
    expect(received).toEqual([{ method: "PURGE", keys: "page:home content:tt1" }]);
    expect(await counted(registry, "ok")).toBe(1);
  });

  it("tries again after an error, and is done at the first success", async () => {
    const { url, received } = await edge((n) => (n === 1 ? 503 : 200));
    const registry = new Registry();
    purger = createPurger({ url, registry, backoffMs: 10 });
    expect(await purger.purge("content", ["content:tt1"])).toBe(true);
    expect(received).toHaveLength(2);
    expect(await counted(registry, "ok")).toBe(1);
  });

  it("gives up after its attempts, each within its deadline, against an edge that never answers", async () => {
    const { url, received } = await edge(() => undefined);
    const registry = new Registry();
    const failures: string[] = [];
    purger = createPurger({
      url,
      registry,
      attempts: 3,
      attemptTimeoutMs: 100,
      backoffMs: 10,
      onFailure: (_r, _k, error) => failures.push(error),
    });
    expect(await purger.purge("publish", ["page:home"])).toBe(false);
    expect(received).toHaveLength(3);
    expect(await counted(registry, "failed")).toBe(1);
    expect(failures).toHaveLength(1);
  });
});

describe("purges on content changes", () => {
  it("purges the entity a change edits, and nothing for the state the stream starts with", async () => {
    const { url, received } = await edge(() => 200);
    purger = createPurger({ url, registry: new Registry() });
    const catalog = loadCatalog();
    const [before, after] = catalog.films;
    const changes = createMemoryContentChanges(catalog);
    await changes.publish({ kind: "set-title", contentId: before!.id, title: "Changed before" });

    await purgeOnContentChange(changes, purger);
    await changes.publish({ kind: "set-rating", contentId: after!.id, imdbRating: 9.9 });
    await changes.publish({ kind: "genre-add", genre: before!.genre, contentId: after!.id });
    const expected = [`content:${after!.id} entities:many`, `${`genre:${before!.genre}`.replace(/ /g, "%20")} entities:many`];
    const started = Date.now();
    while (received.length < expected.length && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(received.map((r) => r.keys)).toEqual(expected);
  });
});
