/**
 * The Mercurius peer: the reference page composed by a tuned GraphQL server (Mercurius with
 * graphql-jit, a DataLoader per DDS method) over Tessera's own in-process DDS, answering JSON.
 * `npm run bench` measures Tessera against it. Env: PORT, HOST, JWT_SECRET, DDS_LATENCY_MS, LOG_LEVEL.
 *
 * Each answer says its DDS calls as Tessera does: `Server-Timing: dds;desc="N calls"`.
 */
import fastify, { type FastifyRequest } from "fastify";
import mercurius, { type IResolvers } from "mercurius";
import { randomUUID } from "node:crypto";
import { ApiError } from "../../api/errors.ts";
import { messages as continueWatching } from "../../binders/continue-watching/messages.ts";
import { messages as favorites } from "../../binders/favorites/messages.ts";
import { messages as genreTitles } from "../../binders/genre-tray/messages.ts";
import { messages as topPicks } from "../../binders/top-picks/messages.ts";
import { createTokenVerifier } from "../../compositor/gateway/auth.ts";
import { logDestination } from "../../compositor/telemetry/log-destination.ts";
import { inProcessDdsClient, withSimulatedLatency } from "../../dds/client.ts";
import { createDdsServices } from "../../dds/services.ts";
import type { Action } from "../../protos/gen/tessera/widgets/v1/action_pb.js";
import { toItem } from "../../widget-registry/sdk.ts";
import { PageData, type Caller } from "./page-data.ts";
import { SCHEMA } from "./schema.ts";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? 0);
const dds = withSimulatedLatency(
  inProcessDdsClient(createDdsServices({ imageBaseUrl: `http://${host}:${port}/images` })),
  Number(process.env.DDS_LATENCY_MS ?? 0),
);
/** The peer answers in English, as the bench asks. */
const EN = { locale: "en" };
const verifier = createTokenVerifier(process.env.JWT_SECRET!);

interface Context {
  page: PageData;
}
type Args = Record<string, number | string>;
type Resolver = (root: unknown, args: Args, context: Context) => Promise<unknown>;

const homeResolvers: Record<string, Resolver> = {
  async hero(_root, { slides, rotateSeconds }, { page }) {
    const tiles = await page.tiles(await page.topPicks());
    tiles.sort((a, b) => b.content.imdbRating - a.content.imdbRating);
    const items = tiles.slice(0, slides as number).map((tile) => toItem(tile, EN, { artwork: "hero" }));
    return items.length > 0 ? { slides: items, rotateSeconds } : null;
  },
  async continueWatching(_root, { limit }, { page }) {
    const history = (await page.history()).slice(0, limit as number);
    const tiles = await page.tiles(history.map((entry) => entry.contentId));
    const progress = new Map(history.map((entry) => [entry.contentId, entry.progressPercent]));
    const items = tiles.map((tile) => toItem(tile, EN, { progressPercent: progress.get(tile.content.id) ?? 0 }));
    return items.length > 0 ? { title: continueWatching.en!.title, items } : null;
  },
  async topPicks(_root, { limit }, { page }) {
    const items = (await page.tiles((await page.topPicks()).slice(0, limit as number))).map((tile) => toItem(tile, EN));
    return items.length > 0 ? { title: topPicks.en!.title, items } : null;
  },
  async genre(_root, { name, limit }, { page }) {
    const genre = name as string;
    const items = (await page.tiles((await page.genreList(genre)).slice(0, limit as number))).map((tile) => toItem(tile, EN));
    return items.length > 0
      ? { title: genreTitles.en![genre] ?? genre, items, seeAllLink: `tessera://genre/${encodeURIComponent(genre)}` }
      : null;
  },
  async favorites(_root, { limit, columns }, { page }) {
    const items = (await page.tiles((await page.favorites()).slice(0, limit as number))).map((tile) => toItem(tile, EN));
    return items.length > 0 ? { title: favorites.en!.title, columns, items } : null;
  },
};

/** An item's action (a protobuf oneof) as its GraphQL type: the field of the kind it is. */
const actionResolvers = {
  openPage: (action: Action) => (action.kind.case === "openPage" ? action.kind.value : null),
};

const callers = new WeakMap<FastifyRequest, Caller>();
const pages = new WeakMap<FastifyRequest, PageData>();

const app = fastify({ logger: { level: process.env.LOG_LEVEL ?? "info", stream: logDestination() }, genReqId: () => randomUUID() });
app.get("/healthz", async () => ({ status: "ok" }));
app.addHook("preHandler", async (request, reply) => {
  if (request.url !== "/graphql") return;
  try {
    const { userId, persona, cohort } = await verifier.identify(request.headers.authorization);
    callers.set(request, { userId, persona: persona || "p0", cohort });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return reply.code(error.status).send({ code: error.code, message: error.message });
  }
});
app.addHook("onSend", async (request, reply) => {
  reply.header("x-request-id", request.id);
  const page = pages.get(request);
  if (page) reply.header("server-timing", `dds;desc="${page.calls} calls"`);
});
await app.register(mercurius, {
  schema: SCHEMA,
  resolvers: { Action: actionResolvers, Query: { home: () => ({}) }, Home: homeResolvers } as unknown as IResolvers,
  // Compile a query with graphql-jit from its first use on: the peer's one query is always compiled.
  jit: 1,
  context: (request): Context => {
    const page = new PageData(dds, callers.get(request)!);
    pages.set(request, page);
    return { page };
  },
});
await app.listen({ host, port });
process.once("SIGTERM", () => void app.close().then(() => process.exit(0)));
