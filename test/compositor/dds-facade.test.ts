import { describe, expect, it } from "vitest";
import { runBinder } from "../../compositor/binder-runtime.ts";
import { createRequestDds } from "../../compositor/dds-facade.ts";
import { wrapDdsClient } from "../../dds/client.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { create, defineBinder, z } from "../../widget-registry/sdk.ts";
import type { DdsCallEvent } from "../../compositor/hooks.ts";
import { testDds } from "../support/tessera.ts";
import { requestContext } from "../support/request-context.ts";

const dds = testDds();

function requestDds(overrides: Parameters<typeof requestContext>[0] = {}) {
  const calls: Array<Omit<DdsCallEvent, "ctx" | "durationMs">> = [];
  const request = createRequestDds(dds, requestContext(overrides), {
    ddsCall: ({ dds, method, batchSize, failed }) => calls.push({ dds, method, batchSize, failed }),
  });
  return { request, calls };
}

describe("the request-scoped DDS facade", () => {
  it("counts each binder's calls of every facade method, for that binder only", async () => {
    const { request } = requestDds({ userId: "u42", persona: "p3" });
    const binder = request.forBinder();
    const other = request.forBinder();
    const picks = await binder.topPicks();
    await Promise.all([
      binder.content(picks.slice(0, 2)),
      binder.tiles(picks.slice(0, 2)),
      binder.genreList("Drama"),
      binder.history(),
      binder.favorites(),
    ]);
    expect(binder.calls).toBe(6);
    expect(other.calls).toBe(0);
  });

  it("batches one method's keys of every binder of a wave into one call of its RPC", async () => {
    const { request, calls } = requestDds();
    const [drama, comedy] = await Promise.all([request.forBinder().genreList("Drama"), request.forBinder().genreList("Comedy")]);
    expect(drama.length).toBeGreaterThan(0);
    expect(comedy.length).toBeGreaterThan(0);
    expect(calls).toEqual([{ dds: "content", method: "batchGetGenreLists", batchSize: 2, failed: false }]);
  });

  it("takes a method's key from the request: the persona for top picks, the user for history and favorites", async () => {
    const { request, calls } = requestDds({ userId: "u42", persona: "p3" });
    const facade = request.forBinder();
    await Promise.all([facade.topPicks(), facade.history(), facade.favorites()]);
    expect(calls.map((call) => `${call.dds}.${call.method}:${call.batchSize}`).sort()).toEqual([
      "reco.batchGetTopPicks:1",
      "user.batchGetFavorites:1",
      "user.batchGetHistory:1",
    ]);
  });

  it("answers an anonymous caller's own data with [] without calling the DDS", async () => {
    const { request, calls } = requestDds({ userId: "" });
    const facade = request.forBinder();
    expect(await facade.history()).toEqual([]);
    expect(await facade.favorites()).toEqual([]);
    expect(calls).toEqual([]);
    expect(facade.calls).toBe(2);
  });

  it("answers [] for a key the DDS does not know", async () => {
    const { request } = requestDds();
    expect(await request.forBinder().genreList("No such genre")).toEqual([]);
  });

  it("learns the caller's plan from an entitlement response", async () => {
    const { request } = requestDds({ userId: "u42" });
    expect(request.knownPlan()).toBeUndefined();
    const facade = request.forBinder();
    await facade.tiles((await facade.topPicks()).slice(0, 1));
    expect(request.knownPlan()).toBe(await request.plan());
    expect(request.knownPlan()).toMatch(/^(free|subscriber)$/);
  });

  it("lets a binder past its deadline load nothing more from the DDS, and its page's other binders load on", async () => {
    let rpcs = 0;
    const counted = wrapDdsClient(dds, (_dds, _method, call) => (rpcs++, call()));
    const request = createRequestDds(counted, requestContext(), {});
    let asked: Promise<unknown> | undefined;
    const late = defineBinder({
      type: "late-tray",
      body: "tray",
      templates: [{ version: "1", minClientVersion: { web: "1.0.0" }, status: "active" }],
      configSchema: z.object({}),
      cacheScope: "public",
      deadlineMs: 20,
      async fetch(_ctx, _config, facade) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        asked = facade.genreList("Drama");
        return asked;
      },
      bind: () => create(TraySchema, {}),
    });
    const deadline = new AbortController();
    const facade = request.forBinder(deadline.signal);
    const placement = {
      position: 0,
      instanceId: "late",
      type: "late-tray",
      templateVersion: "1",
      config: {},
      essential: false,
      deferred: false,
    };
    const result = await runBinder(late, placement, requestContext(), facade, deadline);
    expect(result.outcome).toBe("timeout");

    for (let tries = 0; tries < 100 && !asked; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(asked).rejects.toThrow("missed its 20 ms deadline");
    expect([rpcs, facade.calls]).toEqual([0, 0]);
    expect(await request.forBinder().genreList("Drama")).not.toEqual([]);
    expect(rpcs).toBe(1);
  });
});
