/**
 * `node bench/micro.ts [signed-in|anonymous] [n]`: CPU time per page in this process, no sockets
 * (fastify inject), for quick before/after comparisons and clean CPU profiles (--cpu-prof).
 */
import { binders } from "../binders/index.ts";
import { loadConfig } from "../compositor/config.ts";
import { signToken } from "../compositor/gateway/auth.ts";
import { buildServer } from "../compositor/server.ts";
import { inProcessDdsClient } from "../dds/client.ts";
import { createDdsServices } from "../dds/services.ts";
import { createStaticLayoutSource, loadLayoutFiles, SEED_LAYOUT_DIR } from "../layout-service/static-source.ts";
import { startFlagClient } from "../compositor/experiments/flag-client.ts";

const [scenario = "signed-in", count = "5000"] = process.argv.slice(2);
const secret = "micro-bench-secret";
const config = { ...loadConfig({ JWT_SECRET: secret, RATE_LIMIT_MAX: "0" }), logLevel: "silent" };
const flags = await startFlagClient({});
const { app } = await buildServer({
  config,
  binders,
  layouts: createStaticLayoutSource(loadLayoutFiles(SEED_LAYOUT_DIR)),
  dds: inProcessDdsClient(createDdsServices({ imageBaseUrl: "http://127.0.0.1/images" })),
  flagsFor: flags.flagsFor,
});
const tokens = await Promise.all(Array.from({ length: 1000 }, (_, i) => signToken(secret, { userId: `u${i + 1}`, persona: `p${(i + 1) % 8}` })));
const url = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const headersFor = (n: number): Record<string, string> => (scenario === "signed-in" ? { authorization: `Bearer ${tokens[n % 1000]}` } : {});
for (let n = 0; n < 2000; n++) await app.inject({ method: "GET", url, headers: headersFor(n) });
const started = performance.now();
const total = Number(count);
for (let n = 0; n < total; n++) {
  const response = await app.inject({ method: "GET", url, headers: headersFor(n) });
  if (response.statusCode !== 200) throw new Error(`${response.statusCode} ${response.body}`);
}
const perPage = (performance.now() - started) / total;
console.log(`${scenario}: ${(perPage * 1000).toFixed(0)} µs per page (${(1000 / perPage).toFixed(0)} pages/s on one core)`);
await app.close();
flags.close();
