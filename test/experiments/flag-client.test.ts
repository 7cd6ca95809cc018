import { basicLogger, integrations } from "@launchdarkly/node-server-sdk";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFlagClient, type FlagClient } from "../../compositor/experiments/flag-client.ts";
import type { RequestContext } from "../../widget-registry/context.ts";
import { requestContext } from "../support/request-context.ts";

const quiet = basicLogger({ level: "none" });

describe("flags from the shipped flags file (the SDK's file data source)", () => {
  let flags: FlagClient;
  beforeAll(async () => {
    flags = await startFlagClient({ logger: quiet });
  });
  afterAll(() => flags.close());

  const variationOf = async (ctx: Partial<RequestContext>) => (await flags.flagsFor(requestContext(ctx))).variation("home-hero", "none");

  it("splits 1,000 users 50/50 between control and hero-v2 within ±5 %", async () => {
    const counts: Record<string, number> = {};
    for (let i = 1; i <= 1000; i++) {
      const variation = await variationOf({ userId: `u${i}` });
      counts[variation] = (counts[variation] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(["control", "hero-v2"]);
    expect(counts["hero-v2"]).toBeGreaterThanOrEqual(450);
    expect(counts["hero-v2"]).toBeLessThanOrEqual(550);
  });

  it("keeps every user in one variation from request to request, and across clients", async () => {
    const first = await Promise.all(Array.from({ length: 200 }, (_, i) => variationOf({ userId: `u${i + 1}` })));
    const other = await startFlagClient({ logger: quiet });
    try {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 200; i++) {
          const ctx = requestContext({ userId: `u${i + 1}`, requestId: `r${round}`, platform: round === 1 ? "ios" : "web" });
          expect((await flags.flagsFor(ctx)).variation("home-hero", "none")).toBe(first[i]);
          expect((await other.flagsFor(ctx)).variation("home-hero", "none")).toBe(first[i]);
        }
      }
    } finally {
      other.close();
    }
    expect(new Set(first).size).toBe(2);
  });

  it("keeps an anonymous caller in one variation by their persona, and splits the eight personas", async () => {
    const personas = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const first = await Promise.all(personas.map((persona) => variationOf({ userId: "", persona })));
    const again = await Promise.all(personas.map((persona) => variationOf({ userId: "", persona, requestId: "again" })));
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(2);
  });

  it("serves the kids cohort control by rule, whatever the user", async () => {
    const variations = new Set<string>();
    for (let i = 1; i <= 200; i++) variations.add(await variationOf({ userId: `u${i}`, cohort: "kids" }));
    expect([...variations]).toEqual(["control"]);
  });

  it("is initialized once started (the /readyz flags check)", () => {
    expect(flags.initialized()).toBe(true);
  });

  it("reads an unknown flag, or a flag of another type, as the fallback", async () => {
    const read = await flags.flagsFor(requestContext());
    expect(read.variation("no-such-flag", "fallback")).toBe("fallback");
    expect(read.isOn("no-such-flag", true)).toBe(true);
    expect(read.isOn("home-hero", true)).toBe(true);
    expect(read.variation("tray-new-badge", "fallback")).toBe("fallback");
    expect(read.isOn("tray-new-badge", true)).toBe(false);
  });
});

describe("a flags file that cannot be used", () => {
  it("refuses to start with a missing file, naming it", async () => {
    await expect(startFlagClient({ file: "/nonexistent/flags.json", logger: quiet, initTimeoutSeconds: 2 })).rejects.toThrow(
      /\/nonexistent\/flags\.json/,
    );
  });

  it("refuses to start with a file that is not JSON", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "tessera-flags-")), "flags.json");
    writeFileSync(file, "{ not json");
    await expect(startFlagClient({ file, logger: quiet, initTimeoutSeconds: 2 })).rejects.toThrow(/failed to load/);
  });
});

describe("with an SDK key while LaunchDarkly is unreachable", () => {
  it("starts anyway, reading every flag as its fallback", async () => {
    const unreachable = "http://127.0.0.1:9";
    const flags = await startFlagClient({
      sdkKey: "sdk-00000000-0000-0000-0000-000000000000",
      sdkOptions: { baseUri: unreachable, streamUri: unreachable, eventsUri: unreachable, sendEvents: false },
      initTimeoutSeconds: 1,
      logger: quiet,
    });
    try {
      expect(flags.source).toBe("launchdarkly");
      expect(flags.initialized()).toBe(false);
      const read = await flags.flagsFor(requestContext());
      expect(read.variation("home-hero", "fallback")).toBe("fallback");
      expect(read.isOn("tray-new-badge", true)).toBe(true);
    } finally {
      flags.close();
    }
  });
});

describe("flags of a context read again after a change (TestData)", () => {
  it("serves a changed flag to a context whose flags were read before, at once", async () => {
    const td = new integrations.TestData();
    td.update(td.flag("home-hero").variations("control", "hero-v2").fallthroughVariation(0));
    const flags = await startFlagClient({ dataSource: td.getFactory(), logger: quiet });
    try {
      const ctx = requestContext({ userId: "u1" });
      expect((await flags.flagsFor(ctx)).variation("home-hero", "none")).toBe("control");
      await td.update(td.flag("home-hero").variations("control", "hero-v2").fallthroughVariation(1));
      expect((await flags.flagsFor(ctx)).variation("home-hero", "none")).toBe("hero-v2");
    } finally {
      flags.close();
    }
  });
});
