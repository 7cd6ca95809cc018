import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { createRedisStore } from "../../layout-service/redis-store.ts";
import { startTestRedis, type TestRedis } from "../support/redis.ts";
import { storeContract } from "./store-contract.ts";

describe("Redis layout store (real redis-server)", () => {
  let redis: TestRedis;
  const prefix = `test:{layouts-${randomUUID()}}`;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis.stop());
  storeContract(() => createRedisStore(redis.url, { prefix }));
});
