import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { createRedisStore } from "../../layout-service/redis-store.ts";
import type { RedisClient } from "../../redis/client.ts";
import { redisShapes } from "../support/redis-shapes.ts";
import type { TestRedis } from "../support/redis.ts";
import { storeContract } from "./store-contract.ts";

describe.each(redisShapes)("Redis layout store (real redis-server): %s", (_shape, start) => {
  let redis: TestRedis;
  let client: RedisClient;
  const prefix = `test:{layouts-${randomUUID()}}`;
  beforeAll(async () => {
    redis = await start();
    client = redis.client();
  }, 30_000);
  afterAll(() => redis?.stop());
  storeContract(() => createRedisStore(client, { prefix }));
});
