/**
 * `npm run content -- <command> …`: an editorial change onto the content-change stream, for demos,
 * operators and tests. With REDIS_URL or REDIS_CLUSTER_NODES it appends to the stream in Redis,
 * which every instance follows. Without either it asks the running instance (TESSERA_URL, default
 * http://127.0.0.1:8080) at POST /v1/content/changes, with TESSERA_TOKEN or a development operator
 * token. Exits 1 with the reason when the change is refused (an unknown content id, a bad value).
 */
import { loadCatalog } from "../dds/catalog/films.ts";
import { InvalidChange, parseChange, patchOf, type ContentChange } from "../dds/content/changes.ts";
import { createRedisContentChanges } from "../dds/content/redis-changes.ts";
import { closeRedis, connectRedis } from "../redis/client.ts";
import { redisSettingsFromEnv } from "../redis/settings.ts";
import { DEV_JWT_SECRET, signToken } from "../compositor/gateway/auth.ts";

const USAGE = `usage: npm run content -- <command>
  set-title <contentId> <title>
  set-rating <contentId> <imdbRating 0-10>
  set-artwork <contentId> <artwork version, e.g. v2>
  takedown <contentId>
  genre-add <genre> <contentId>
  genre-remove <genre> <contentId>`;

function changeOf(args: string[]): ContentChange {
  const [kind, first = "", second = ""] = args;
  switch (kind) {
    case "set-title":
      return parseChange({ kind, contentId: first, title: args.slice(2).join(" ") });
    case "set-rating":
      return parseChange({ kind, contentId: first, imdbRating: second === "" ? Number.NaN : Number(second) });
    case "set-artwork":
      return parseChange({ kind, contentId: first, artwork: second });
    case "takedown":
      return parseChange({ kind, contentId: first });
    case "genre-add":
    case "genre-remove":
      return parseChange({ kind, genre: first, contentId: second });
    default:
      throw new InvalidChange("command", kind ? `unknown command "${kind}"\n${USAGE}` : USAGE);
  }
}

async function publishToRedis(change: ContentChange): Promise<{ seq: number; entity: string }> {
  const settings = redisSettingsFromEnv(process.env)!;
  const redis = await connectRedis(settings, { onError: () => {}, name: "tessera:content-cli" });
  try {
    return await createRedisContentChanges(redis, loadCatalog()).publish(change);
  } finally {
    await closeRedis(redis);
  }
}

async function publishToInstance(change: ContentChange): Promise<{ seq: number; entity: string }> {
  const baseUrl = process.env.TESSERA_URL ?? "http://127.0.0.1:8080";
  const token =
    process.env.TESSERA_TOKEN ??
    (await signToken(process.env.JWT_SECRET ?? DEV_JWT_SECRET, { userId: "content-cli", roles: ["operator"], expiresIn: "5m" }));
  const response = await fetch(`${baseUrl}/v1/content/changes`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(change),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { seq: number; entity: string; message?: string };
  if (!response.ok) throw new Error(`${baseUrl} refused the change: ${body.message ?? response.status}`);
  return body;
}

try {
  const change = changeOf(process.argv.slice(2));
  patchOf(change, loadCatalog());
  const { seq, entity } = redisSettingsFromEnv(process.env) ? await publishToRedis(change) : await publishToInstance(change);
  console.log(`${entity}: change ${seq} published`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
