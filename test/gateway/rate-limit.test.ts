import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../compositor/config.ts";
import { signToken } from "../../compositor/gateway/auth.ts";
import type { Tessera } from "../../compositor/server.ts";
import { redisShapes } from "../support/redis-shapes.ts";
import { startTestRedis, type TestRedis, unreachableRedis } from "../support/redis.ts";
import { devToken, startTessera } from "../support/tessera.ts";

const PAGE = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const limited = (max: number) => ({ ...loadConfig({ RATE_LIMIT_MAX: String(max), RATE_LIMIT_WINDOW_MS: "60000" }), logLevel: "silent" });

const get = (server: Tessera, headers: Record<string, string> = {}, remoteAddress = "203.0.113.1", url = PAGE) =>
  server.app.inject({ url, headers, remoteAddress });
const bearer = async (userId: string) => ({ authorization: `Bearer ${await devToken({ userId })}` });

describe("rate limiting in one instance", () => {
  let server: Tessera;
  beforeAll(async () => {
    server = await startTessera({ config: limited(3) });
  });
  afterAll(() => server.app.close());

  it("answers 429 with Retry-After and {code, message} after the limit", async () => {
    const alice = await bearer("alice");
    for (let i = 0; i < 3; i++) expect((await get(server, alice)).statusCode).toBe(200);
    const refused = await get(server, alice);
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json()).toEqual({ code: "rate-limited", message: expect.stringMatching(/at most 3 per 60 s; retry in/) });
  });

  it("counts per user: another user from the same address keeps their budget", async () => {
    const bob = await bearer("bob");
    const carol = await bearer("carol");
    for (let i = 0; i < 3; i++) expect((await get(server, bob, "198.51.100.7")).statusCode).toBe(200);
    expect((await get(server, bob, "198.51.100.8")).statusCode).toBe(429);
    expect((await get(server, carol, "198.51.100.7")).statusCode).toBe(200);
  });

  it("counts anonymous callers per IP", async () => {
    for (let i = 0; i < 3; i++) expect((await get(server, {}, "192.0.2.10")).statusCode).toBe(200);
    expect((await get(server, {}, "192.0.2.10")).statusCode).toBe(429);
    expect((await get(server, { "x-device-id": "another-device" }, "192.0.2.10")).statusCode).toBe(429);
    expect((await get(server, {}, "192.0.2.11")).statusCode).toBe(200);
  });

  it("counts a token that does not verify against its IP: forged identities buy no budget", async () => {
    const forged = async (userId: string) => ({ authorization: `Bearer ${await signToken("not-the-secret", { userId })}` });
    for (let i = 0; i < 3; i++) expect((await get(server, await forged(`mallory-${i}`), "192.0.2.66")).statusCode).toBe(401);
    expect((await get(server, await forged("mallory-3"), "192.0.2.66")).statusCode).toBe(429);
  });

  it("does not limit probes, metrics and artwork", async () => {
    for (let i = 0; i < 5; i++) {
      expect((await get(server, {}, "192.0.2.99", "/healthz")).statusCode).toBe(200);
      expect((await get(server, {}, "192.0.2.99", "/metrics")).statusCode).toBe(200);
    }
    expect((await get(server, {}, "192.0.2.99")).statusCode).toBe(200);
  });

  it("limits the Connect PageService too, counting requests in flight together one by one", async () => {
    const rpc = () =>
      server.app
        .inject({
          method: "POST",
          url: "/tessera.page.v1.PageService/GetPage",
          headers: { "content-type": "application/json" },
          payload: { pageId: "home", platform: "web" },
          remoteAddress: "192.0.2.50",
        })
        .then((response) => response.statusCode);
    const statuses = await Promise.all([rpc(), rpc(), rpc(), rpc()]);
    expect(statuses.sort()).toEqual([200, 200, 200, 429]);
  });

  it("is off with RATE_LIMIT_MAX=0", async () => {
    const open = await startTessera({ config: limited(0) });
    try {
      for (let i = 0; i < 6; i++) expect((await get(open)).statusCode).toBe(200);
    } finally {
      await open.app.close();
    }
  });
});

describe.each(redisShapes)("rate limiting shared by two instances through %s", (_shape, start) => {
  let redis: TestRedis;
  let a: Tessera;
  let b: Tessera;
  beforeAll(async () => {
    redis = await start();
    await redis.flush();
    const [forA, forB] = await Promise.all([redis.connected(), redis.connected()]);
    a = await startTessera({ config: limited(4), redis: forA });
    b = await startTessera({ config: limited(4), redis: forB });
  }, 30_000);
  afterAll(async () => {
    await Promise.all([a?.app.close(), b?.app.close()]);
    await redis?.stop();
  });

  it("spends one budget across both instances, for a user and for an anonymous IP", async () => {
    const dave = await bearer("dave");
    const statuses: number[] = [];
    for (const server of [a, b, a, b, a, b]) statuses.push((await get(server, dave)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);

    const anonymous: number[] = [];
    for (const server of [b, b, a, a, b]) anonymous.push((await get(server, {}, "192.0.2.200")).statusCode);
    expect(anonymous).toEqual([200, 200, 200, 200, 429]);
  });

  it("keeps the count in Redis, under Tessera's namespace", async () => {
    await get(a, await bearer("erin"));
    expect(await redis.keys("tessera:rate-limit:*")).toContain("tessera:rate-limit:user:erin");
  });
});

describe("rate limiting without its Redis", () => {
  it("keeps limiting, counting in the instance, while Redis is unreachable", async () => {
    const lost = unreachableRedis();
    const server = await startTessera({ config: limited(2), redis: lost });
    try {
      const frank = await bearer("frank");
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await get(server, frank)).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
      expect((await get(server, await bearer("grace"))).statusCode).toBe(200);
    } finally {
      await server.app.close();
      lost.disconnect();
    }
  });

  it("falls back to counting in the instance when a count in Redis fails", async () => {
    // Connected, but every script refused: the store cannot count there.
    const redis = await startTestRedis();
    const client = await redis.connected();
    await client.config("SET", "maxmemory", "1");
    await client.config("SET", "maxmemory-policy", "noeviction");
    const server = await startTessera({ config: limited(2), redis: client });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await get(server, await bearer("heidi"))).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
      expect(await redis.keys("tessera:rate-limit:*")).toEqual([]);
    } finally {
      await server.app.close();
      await redis.stop();
    }
  }, 30_000);
});
