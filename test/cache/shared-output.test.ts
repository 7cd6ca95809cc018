/**
 * What cached public- and persona-scoped widgets may share, and what they must not: one user's
 * entitlement badges, one request's feature flags. Redis as second tier shares between instances.
 */
import { afterAll, describe, expect, it } from "vitest";
import { equals } from "@bufbuild/protobuf";
import { wrapDdsClient } from "../../dds/client.ts";
import { encodePage } from "../../compositor/page-encoding.ts";
import { PageSchema } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { WidgetSchema } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import { toBinary } from "@bufbuild/protobuf";
import { NO_FLAGS, type Flags } from "../../widget-registry/context.ts";
import { redisShapes } from "../support/redis-shapes.ts";
import type { TestRedis } from "../support/redis.ts";
import { allItems, ddsCallsOf, decodePage, itemsOf, withoutPageView } from "../support/page.ts";
import { defaultParts, devToken, startTessera, testDds } from "../support/tessera.ts";
import type { Tessera } from "../../compositor/server.ts";

const HOME = "/v1/pages/home?platform=web&clientVersion=5.0.0";
const servers: Tessera[] = [];
const redises: TestRedis[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.app.close()));
  await Promise.all(redises.map((redis) => redis.stop()));
});

async function start(...args: Parameters<typeof startTessera>) {
  const tessera = await startTessera(...args);
  servers.push(tessera);
  return tessera;
}

async function home(tessera: Tessera, userId: string) {
  const token = await devToken({ userId, persona: "p1" });
  const response = await tessera.app.inject({ method: "GET", url: HOME, headers: { authorization: `Bearer ${token}` } });
  expect(response.statusCode).toBe(200);
  return { page: decodePage(response.rawPayload), ddsCalls: ddsCallsOf(response.headers["server-timing"] as string) };
}

const sharedWidgetBadges = (page: ReturnType<typeof decodePage>) =>
  page.widgets
    .filter((w) => w.type === "genre-tray" || w.type === "hero" || w.type === "top-picks")
    .flatMap(itemsOf)
    .map((item) => item.badge);

describe("entitlement badges in shared widgets", () => {
  it("never shows one user's entitlement to another, whichever user filled the cache", async () => {
    const tessera = await start();
    // u3 is subscribed (every third user), u1 and u2 are not; all three share persona p1.
    const subscriber = await home(tessera, "u3");
    const free = await home(tessera, "u1");
    const subscriberAgain = await home(tessera, "u3");
    const otherFree = await home(tessera, "u2");
    expect(sharedWidgetBadges(subscriber.page)).not.toContain("premium");
    expect(sharedWidgetBadges(free.page)).toContain("premium");
    expect(sharedWidgetBadges(subscriberAgain.page)).toEqual(sharedWidgetBadges(subscriber.page));
    expect(sharedWidgetBadges(otherFree.page)).toEqual(sharedWidgetBadges(free.page));
    // The second page of each plan reused the shared widgets: only user data and the plan were fetched.
    expect(subscriberAgain.ddsCalls).toBeLessThan(subscriber.ddsCalls);
    expect(otherFree.ddsCalls).toBeLessThan(subscriber.ddsCalls);
  });
});

describe("DDS calls of a warm signed-in page", () => {
  it("are the user's own data and plan only: 3 calls in one wave, the same page as composed cold", async () => {
    const methods: string[] = [];
    const tessera = await start({ dds: wrapDdsClient(testDds(), (_dds, method, call) => (methods.push(method), call())) });
    const cold = await home(tessera, "u10");
    methods.length = 0;
    const warm = await home(tessera, "u10");
    expect(cold.ddsCalls).toBe(6);
    expect(warm.ddsCalls).toBe(3);
    expect(methods.sort()).toEqual(["batchGetFavorites", "batchGetHistory", "batchGetPlans"]);
    expect(equals(PageSchema, withoutPageView(warm.page), withoutPageView(cold.page))).toBe(true);
  });
});

describe("feature flags read by cached widgets", () => {
  it("serves each caller the output of their own flag values", async () => {
    const newBadgeOn: Flags = {
      isOn: (flag, fallback = false) => flag === "tray-new-badge" || fallback,
      variation: (_flag, fallback) => fallback,
    };
    const tessera = await start({ flagsFor: async (ctx) => (ctx.userId === "u4" ? newBadgeOn : NO_FLAGS) });
    const newBadges = async (userId: string) => sharedWidgetBadges((await home(tessera, userId)).page).filter((b) => b === "new").length;
    expect(await newBadges("u1")).toBe(0);
    expect(await newBadges("u4")).toBeGreaterThan(0);
    expect(await newBadges("u1")).toBe(0);
    expect(await newBadges("u4")).toBeGreaterThan(0);
  });
});

describe.each(redisShapes)("%s as the second tier", (_shape, startRedis) => {
  it("lets a fresh instance serve widgets another instance composed, without their DDS calls", async () => {
    const redis = await startRedis();
    redises.push(redis);
    const methods: string[] = [];
    const countingDds = wrapDdsClient(testDds(), (_dds, method, call) => {
      methods.push(method);
      return call();
    });
    const first = await start({ redis: redis.client() });
    const reference = await home(first, "u1");
    // The page does not wait for its writes to Redis: wait for the 12 shared widgets (entry + flag index each).
    while ((await redis.keys("tessera:widget:*")).length < 24) await new Promise((resolve) => setTimeout(resolve, 10));
    // Connected, as a server's client is before it listens; a loaded test machine gets more than 20 ms per lookup.
    const config = { ...defaultParts().config, cacheRedisTimeoutMs: 2_000 };
    const second = await start({ redis: await redis.connected(), dds: countingDds, config });
    const fromRedis = await home(second, "u1");
    expect(allItems(fromRedis.page)).toEqual(allItems(reference.page));
    expect(methods).not.toContain("batchGetGenreLists");
    expect(methods).not.toContain("batchGetTopPicks");
  }, 30_000);
});

describe("page encoding from encoded widgets", () => {
  it("decodes to the same page as the page message encoded whole", async () => {
    const tessera = await start();
    const { page } = await home(tessera, "u9");
    const bytes = encodePage(
      page,
      page.widgets.map((widget) => toBinary(WidgetSchema, widget)),
    );
    expect(equals(PageSchema, decodePage(bytes), page)).toBe(true);
    expect(equals(PageSchema, decodePage(bytes), decodePage(toBinary(PageSchema, page)))).toBe(true);
  });
});
