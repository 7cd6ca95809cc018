import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import { createUserWidgets, type UserWidget } from "../../compositor/cache/user-widgets.ts";
import { sameData } from "../../compositor/cache/same-data.ts";
import { create } from "@bufbuild/protobuf";
import { WidgetSchema } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { Flags } from "../../widget-registry/context.ts";
import type { Binder } from "../../widget-registry/sdk.ts";
import { wrapDdsClient } from "../../dds/client.ts";
import { binders, devToken, startTessera, testDds } from "../support/tessera.ts";
import { decodePage, itemsOf, withoutPageView } from "../support/page.ts";

/** The test binders with continue watching's binds counted by user in `binds`, and its fetch replaced when given. */
function countingBinds(binds: Map<string, number>, fetch?: Binder["fetch"]): Binder[] {
  return binders.map((binder) =>
    binder.type === "continue-watching"
      ? {
          ...binder,
          ...(fetch && { fetch }),
          bind(data, ctx, config) {
            binds.set(ctx.userId, (binds.get(ctx.userId) ?? 0) + 1);
            return binder.bind(data, ctx, config);
          },
        }
      : binder,
  );
}

describe("sameData", () => {
  const shared = { id: "m1", title: "Heat" };
  it.each([
    ["equal primitives", 3, 3, true],
    ["NaN and NaN", Number.NaN, Number.NaN, true],
    ["different strings", "a", "b", false],
    ["equal arrays of plain objects", [{ a: 1, b: [2] }], [{ a: 1, b: [2] }], true],
    ["arrays of different lengths", [1, 2], [1], false],
    [
      "a changed nested field",
      { tiles: [{ content: { id: "m1" }, badge: "" }] },
      { tiles: [{ content: { id: "m1" }, badge: "premium" }] },
      false,
    ],
    ["the same shared object", { tiles: [shared] }, { tiles: [shared] }, true],
    ["an extra field", { a: 1 }, { a: 1, b: undefined }, false],
    ["a missing field", { a: 1, b: undefined }, { a: 1 }, false],
    ["as many fields, named apart", { a: 1 }, { b: 1 }, false],
    ["an inherited name is not a field", { toString: undefined }, {}, false],
    ["an array against an object", [], {}, false],
    ["two equal maps (not plain: identity only)", new Map([["a", 1]]), new Map([["a", 1]]), false],
  ])("%s", (_name, a, b, same) => {
    expect(sameData(a, b)).toBe(same);
  });
});

describe("createUserWidgets", () => {
  const flagsWith = (value: boolean): Flags => ({ isOn: () => value, variation: (_flag, fallback) => fallback });
  const kept = (data: unknown, flagValues: string): UserWidget => ({
    data,
    recoRequestId: "",
    reads: [["isOn", "new-tiles", false]],
    flagValues,
    widget: create(WidgetSchema, { instanceId: "cw" }),
    bytes: new Uint8Array(10),
    nextCursor: "",
  });

  it("gives a widget back only for equal data, the same recommendation request and the same values of the flags it read", () => {
    const widgets = createUserWidgets(1024 * 1024);
    widgets.keep("u1|cw", kept({ history: [{ contentId: "m1", progressPercent: 40 }] }, "isOn:new-tiles=true;"));
    const data = { history: [{ contentId: "m1", progressPercent: 40 }] };
    expect(widgets.reuse("u1|cw", data, "", flagsWith(true))?.widget.instanceId).toBe("cw");
    expect(widgets.reuse("u1|cw", { history: [{ contentId: "m1", progressPercent: 41 }] }, "", flagsWith(true))).toBeUndefined();
    expect(widgets.reuse("u1|cw", data, "reco-2", flagsWith(true))).toBeUndefined();
    expect(widgets.reuse("u1|cw", data, "", flagsWith(false))).toBeUndefined();
    expect(widgets.reuse("u2|cw", data, "", flagsWith(true))).toBeUndefined();
  });

  it("keeps no more than its memory bound, the most recent first", () => {
    // Each entry counts three times its 1,000 bytes and its key: one fits in 4 KiB.
    const widgets = createUserWidgets(4096);
    for (let user = 0; user < 20; user++)
      widgets.keep(`u${user}|cw`, { ...kept({ user }, "isOn:new-tiles=true;"), bytes: new Uint8Array(1000) });
    const left = Array.from({ length: 20 }, (_, user) => widgets.reuse(`u${user}|cw`, { user }, "", flagsWith(true)));
    expect(left.filter(Boolean)).toHaveLength(1);
    expect(left[19]).toBeDefined();
  });
});

describe("user-scoped widgets across a user's pages", () => {
  let tessera: Tessera;
  /** How often the continue-watching binder has bound, by user. */
  const binds = new Map<string, number>();
  beforeAll(async () => {
    const counted = countingBinds(binds);
    tessera = await startTessera({ binders: counted });
  });
  afterAll(() => tessera.app.close());

  const page = async (userId: string, clientVersion = "5.0.0") => {
    const authorization = `Bearer ${await devToken({ userId })}`;
    const response = await tessera.app.inject({
      url: `/v1/pages/home?platform=web&clientVersion=${clientVersion}`,
      headers: { authorization },
    });
    expect(response.statusCode).toBe(200);
    return withoutPageView(decodePage(response.rawPayload)).widgets.find((widget) => widget.type === "continue-watching")!;
  };
  const progress = async (userId: string, contentId: string, progressPercent: number) => {
    const authorization = `Bearer ${await devToken({ userId })}`;
    const response = await tessera.app.inject({
      method: "PUT",
      url: `/v1/me/progress/${contentId}`,
      headers: { authorization },
      payload: { progressPercent },
    });
    expect(response.statusCode).toBe(200);
  };

  it("is reused while the user's data stays the same, and bound again when it changes", async () => {
    await progress("u700", "m369", 30);
    const first = await page("u700");
    const second = await page("u700");
    expect(binds.get("u700")).toBe(1);
    expect(second).toEqual(first);

    await progress("u700", "m369", 55);
    const third = await page("u700");
    expect(binds.get("u700")).toBe(2);
    expect(itemsOf(third)[0]).toMatchObject({ contentId: "m369", progressPercent: 55 });
  });

  it("is kept apart for a client with another item form", async () => {
    await progress("u703", "m12", 20);
    await page("u703", "5.0.0");
    const compact = await page("u703", "6.0.0");
    expect(binds.get("u703")).toBe(2);
    expect(itemsOf(compact)[0]!.deepLink).toBe("");
  });
});

describe("user-scoped widgets of users whose data is the same", () => {
  let tessera: Tessera;
  const binds = new Map<string, number>();
  beforeAll(async () => {
    // Every user's continue watching made from the same data: one title at 20 %.
    const sameForAll = countingBinds(binds, async (_ctx, _config, dds) => ({
      history: [{ contentId: "m12", progressPercent: 20 }],
      tiles: await dds.tiles(["m12"]),
    }));
    tessera = await startTessera({ binders: sameForAll });
  });
  afterAll(() => tessera.app.close());

  const page = async (userId: string) => {
    const response = await tessera.app.inject({
      url: "/v1/pages/home?platform=web&clientVersion=5.0.0",
      // One persona for all: the key must tell users apart by who they are.
      headers: { authorization: `Bearer ${await devToken({ userId, persona: "p1" })}` },
    });
    return withoutPageView(decodePage(response.rawPayload)).widgets.find((widget) => widget.type === "continue-watching")!;
  };

  it("binds each user's own, and reuses it only for that user", async () => {
    const first = await page("u801");
    const second = await page("u802");
    await page("u801");
    expect([binds.get("u801"), binds.get("u802")]).toEqual([1, 1]);
    expect(second).toEqual(first);
  });
});

describe("a user-scoped widget while the user's data cannot be had", () => {
  let tessera: Tessera;
  let userDdsDown = false;
  beforeAll(async () => {
    const dds = wrapDdsClient(testDds(), (name, _method, call) =>
      userDdsDown && name === "user" ? Promise.reject(new Error("connect ECONNREFUSED 10.1.2.3:8090")) : call(),
    );
    tessera = await startTessera({ dds });
  });
  afterAll(() => tessera.app.close());

  it("is left out, not served from the user's last one", async () => {
    const headers = { authorization: `Bearer ${await devToken({ userId: "u901" })}` };
    const types = async () => {
      const response = await tessera.app.inject({ url: "/v1/pages/home?platform=web&clientVersion=5.0.0", headers });
      return decodePage(response.rawPayload).widgets.map((widget) => widget.type);
    };
    expect(await types()).toContain("continue-watching");
    userDdsDown = true;
    expect(await types()).not.toContain("continue-watching");
  });
});
