/**
 * Runs the DDS as a standalone Connect server (`npm run dds`), for compositors started with
 * DDS_URL=http://127.0.0.1:8090. Serves Connect, gRPC-Web and (over HTTP/1.1) Connect JSON/binary.
 */
import { fastifyConnectPlugin } from "@connectrpc/connect-fastify";
import fastify from "fastify";
import { ddsRoutes } from "./routes.ts";
import { reportContentSeq } from "./content/content-seq.ts";
import { followedOverlay, openContentChanges } from "./content/open-changes.ts";
import { createDdsServices } from "./services.ts";
import { connectRedis } from "../redis/client.ts";
import { redisSettingsFromEnv } from "../redis/settings.ts";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.DDS_PORT ?? 8090);
const publicUrl = process.env.PUBLIC_URL ?? "http://127.0.0.1:8080";
const app = fastify({ logger: { level: process.env.LOG_LEVEL ?? "info" } });
const redisSettings = redisSettingsFromEnv(process.env);
const redis = redisSettings && (await connectRedis(redisSettings, { onError: (error) => app.log.error({ err: error }, "redis") }));
// Without Redis no change reaches this process: the stream in process has no other publisher.
const overlay = await followedOverlay(openContentChanges(redis, (error) => app.log.error({ err: error }, "content changes")));
await app.register(fastifyConnectPlugin, {
  // Compositors follow the changes on their own: each answer says how far this process has applied them.
  interceptors: [reportContentSeq(overlay)],
  routes: ddsRoutes(createDdsServices({ imageBaseUrl: `${publicUrl}/images`, redis, overlay })),
});
await app.listen({ host, port });
