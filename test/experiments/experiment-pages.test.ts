import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { basicLogger, integrations } from "@launchdarkly/node-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFlagClient, type FlagClient } from "../../compositor/experiments/flag-client.ts";
import type { Tessera } from "../../compositor/server.ts";
import { pageLayoutSchema } from "../../layout-service/model.ts";
import { createStaticLayoutSource } from "../../compositor/layouts/static-source.ts";
import { PageSchema, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { devToken, startTessera } from "../support/tessera.ts";

const quiet = basicLogger({ level: "none" });

async function getPage(server: Tessera, headers: Record<string, string>, pageId = "home"): Promise<Page> {
  const response = await server.app.inject({
    url: `/v1/pages/${pageId}?platform=web&clientVersion=5.0.0`,
    headers: { accept: "application/json", ...headers },
  });
  expect(response.statusCode, response.body).toBe(200);
  return fromJson(PageSchema, response.json() as JsonValue);
}

const asUser = async (userId: string, cohort?: string) => ({ authorization: `Bearer ${await devToken({ userId, cohort })}` });

const heroOf = (page: Page) => {
  const widget = page.widgets.find((w) => w.body.case === "hero");
  if (widget?.body.case !== "hero") throw new Error("no hero on the page");
  return widget.body.value;
};

describe("layout variants bound to flag variations (TestData)", () => {
  const td = new integrations.TestData();
  let flags: FlagClient;
  let server: Tessera;

  beforeAll(async () => {
    td.update(
      td.flag("home-hero").variations("control", "hero-v2").variationForUser("u1", 0).variationForUser("u2", 1).fallthroughVariation(0),
    );
    td.update(td.flag("tray-new-badge").booleanFlag().variationForAll(false));
    flags = await startFlagClient({ dataSource: td.getFactory(), logger: quiet });
    server = await startTessera({ flagsFor: flags.flagsFor });
  });
  afterAll(async () => {
    await server.app.close();
    flags.close();
  });

  it("serves each user the variant of their variation, and reports the exposure", async () => {
    const control = await getPage(server, await asUser("u1"));
    const heroV2 = await getPage(server, await asUser("u2"));
    expect(heroOf(control).rotateSeconds).toBe(8);
    expect(heroOf(heroV2).rotateSeconds).toBe(4);
    expect(control.experiments.map(({ flag, variation }) => ({ flag, variation }))).toEqual([{ flag: "home-hero", variation: "control" }]);
    expect(heroV2.experiments.map(({ flag, variation }) => ({ flag, variation }))).toEqual([{ flag: "home-hero", variation: "hero-v2" }]);
  });

  it("keeps the reference page's 14 widgets in both variations", async () => {
    for (const user of ["u1", "u2"]) {
      const page = await getPage(server, await asUser(user));
      expect(page.widgets.map((w) => w.instanceId)).toHaveLength(14);
      expect(page.errors).toEqual([]);
    }
  });

  it("follows a change of the flag at once", async () => {
    td.update(
      td.flag("home-hero").variations("control", "hero-v2").variationForUser("u1", 1).variationForUser("u2", 1).fallthroughVariation(0),
    );
    try {
      expect(heroOf(await getPage(server, await asUser("u1"))).rotateSeconds).toBe(4);
    } finally {
      td.update(
        td.flag("home-hero").variations("control", "hero-v2").variationForUser("u1", 0).variationForUser("u2", 1).fallthroughVariation(0),
      );
    }
    expect(heroOf(await getPage(server, await asUser("u1"))).rotateSeconds).toBe(8);
  });

  it("counts exposures in the metrics by flag and variation", async () => {
    const count = async (variation: string) => {
      const metrics = await server.app.inject({ url: "/metrics" });
      const line = metrics.body
        .split("\n")
        .find((l) => l.startsWith(`tessera_experiment_exposures_total{flag="home-hero",variation="${variation}"}`));
      return Number(line?.split(" ").at(-1) ?? 0);
    };
    const before = { control: await count("control"), v2: await count("hero-v2") };
    await getPage(server, await asUser("u2"));
    await getPage(server, await asUser("u2"));
    await getPage(server, await asUser("u1"));
    expect(await count("hero-v2")).toBe(before.v2 + 2);
    expect(await count("control")).toBe(before.control + 1);
  });

  it('changes a binder\'s output with its flag: genre trays badge recent titles "new" only while tray-new-badge is on', async () => {
    const newBadges = (page: Page) =>
      page.widgets
        .flatMap((w) => (w.type === "genre-tray" && w.body.case === "tray" ? w.body.value.items : []))
        .filter((item) => item.badge === "new");
    expect(newBadges(await getPage(server, await asUser("u3")))).toEqual([]);
    td.update(td.flag("tray-new-badge").booleanFlag().variationForAll(true));
    try {
      const badged = newBadges(await getPage(server, await asUser("u3")));
      expect(badged.length).toBeGreaterThan(0);
    } finally {
      td.update(td.flag("tray-new-badge").booleanFlag().variationForAll(false));
    }
    expect(newBadges(await getPage(server, await asUser("u3")))).toEqual([]);
  });

  it("reports the exposure of a control left to an unbound variant, and none to a cohort with its own variant", async () => {
    const layout = pageLayoutSchema.parse({
      pageId: "trial",
      variants: [
        { id: "kids", match: { cohorts: ["kids"] }, placements: [{ instanceId: "hero", type: "hero", config: { rotateSeconds: 10 } }] },
        {
          id: "v2",
          match: { experiment: { flag: "home-hero", variation: "hero-v2" } },
          placements: [{ instanceId: "hero", type: "hero", config: { rotateSeconds: 4 } }],
        },
        { id: "default", placements: [{ instanceId: "hero", type: "hero" }] },
      ],
    });
    const trial = await startTessera({
      flagsFor: flags.flagsFor,
      layouts: createStaticLayoutSource(new Map([["trial", { version: 1, layout }]])),
    });
    try {
      const exposure = (page: Page) => page.experiments.map(({ flag, variation }) => `${flag}=${variation}`);
      const control = await getPage(trial, await asUser("u1"), "trial");
      expect([heroOf(control).rotateSeconds, exposure(control)]).toEqual([8, ["home-hero=control"]]);
      const v2 = await getPage(trial, await asUser("u2"), "trial");
      expect([heroOf(v2).rotateSeconds, exposure(v2)]).toEqual([4, ["home-hero=hero-v2"]]);
      const kids = await getPage(trial, await asUser("u2", "kids"), "trial");
      expect([heroOf(kids).rotateSeconds, exposure(kids)]).toEqual([10, []]);
    } finally {
      await trial.app.close();
    }
  });

  it("reports no experiment on a page whose variants are bound to none", async () => {
    const plain = await startTessera({
      flagsFor: flags.flagsFor,
      layouts: createStaticLayoutSource(
        new Map([
          [
            "plain",
            {
              version: 1,
              layout: pageLayoutSchema.parse({
                pageId: "plain",
                variants: [{ id: "default", placements: [{ instanceId: "hero", type: "hero" }] }],
              }),
            },
          ],
        ]),
      ),
    });
    try {
      expect((await getPage(plain, await asUser("u2"), "plain")).experiments).toEqual([]);
    } finally {
      await plain.app.close();
    }
  });
});

describe("the shipped home-hero experiment (flags file)", () => {
  let flags: FlagClient;
  let server: Tessera;
  beforeAll(async () => {
    flags = await startFlagClient({ logger: quiet });
    server = await startTessera({ flagsFor: flags.flagsFor });
  });
  afterAll(async () => {
    await server.app.close();
    flags.close();
  });

  it("serves both variations across users, each page matching its reported variation, sticky per user", async () => {
    const seen = new Map<string, string>();
    for (let i = 1; i <= 40; i++) {
      const page = await getPage(server, await asUser(`u${i}`));
      const variation = page.experiments.find((e) => e.flag === "home-hero")?.variation ?? "";
      expect(heroOf(page).rotateSeconds).toBe(variation === "hero-v2" ? 4 : 8);
      expect(page.widgets).toHaveLength(14);
      seen.set(`u${i}`, variation);
    }
    expect(new Set(seen.values())).toEqual(new Set(["control", "hero-v2"]));
    for (const [user, variation] of [...seen].slice(0, 10)) {
      const again = await getPage(server, await asUser(user));
      expect(again.experiments[0]?.variation).toBe(variation);
    }
  });

  it("leaves out of the experiment the callers a variant of their own serves whatever their variation (kids, tv)", async () => {
    for (let i = 1; i <= 20; i++) {
      const kids = await getPage(server, await asUser(`u${i}`, "kids"));
      expect(kids.experiments).toEqual([]);
      expect(kids.widgets.length).toBeLessThan(14);
      const tv = await server.app.inject({
        url: "/v1/pages/home?platform=tv&clientVersion=5.0.0",
        headers: { accept: "application/json", ...(await asUser(`u${i}`)) },
      });
      expect(tv.json().experiments ?? []).toEqual([]);
    }
  });

  it("keeps an anonymous device in its variation by X-Device-Id", async () => {
    const variations = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const first = await getPage(server, { "x-device-id": `device-${i}` });
      const again = await getPage(server, { "x-device-id": `device-${i}` });
      expect(again.experiments).toEqual(first.experiments);
      variations.add(first.experiments[0]!.variation);
    }
    expect(variations).toEqual(new Set(["control", "hero-v2"]));
  });
});
