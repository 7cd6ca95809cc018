import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Tessera } from "../../compositor/server.ts";
import { pageLayoutSchema } from "../../layout-service/model.ts";
import { createStaticLayoutSource } from "../../compositor/layouts/static-source.ts";
import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";
import { create, defineBinder, z } from "../../widget-registry/sdk.ts";
import { decodePage } from "../support/page.ts";
import { binders, startTessera } from "../support/tessera.ts";

const failing = defineBinder({
  type: "failing-tray",
  body: "tray",
  templates: [{ version: "1", minClientVersion: { web: "1.0.0" }, status: "active" }],
  configSchema: z.object({}),
  cacheScope: "public",
  async fetch() {
    throw new Error("the source is down");
  },
  bind: () => create(TraySchema, {}),
});

const page = (pageId: string, essential: boolean, type = "failing-tray") =>
  pageLayoutSchema.parse({
    pageId,
    variants: [
      {
        id: "v",
        placements: [
          { instanceId: "hero", type: "hero" },
          { instanceId: "fragile", type, essential },
        ],
      },
    ],
  });

describe("essential placements", () => {
  let server: Tessera;
  beforeAll(async () => {
    const layouts = new Map(
      [page("must-have", true), page("nice-to-have", false), page("old-client", true, "failing-tray")].map((layout) => [
        layout.pageId,
        { layout, version: 1 },
      ]),
    );
    server = await startTessera({ binders: [...binders, failing], layouts: createStaticLayoutSource(layouts) });
  });
  afterAll(() => server.app.close());

  it("answers 503 essential-widget-failed, naming the placement and reason, when an essential placement fails", async () => {
    const response = await server.app.inject({ url: "/v1/pages/must-have?platform=web&clientVersion=5.0.0" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ code: "essential-widget-failed", message: expect.stringMatching(/"fragile" failed: error/) });
  });

  it("serves the page without a failed placement that is not essential, listing it in errors", async () => {
    const response = await server.app.inject({ url: "/v1/pages/nice-to-have?platform=web&clientVersion=5.0.0" });
    expect(response.statusCode).toBe(200);
    const composed = decodePage(response.rawPayload);
    expect(composed.widgets.map((w) => w.instanceId)).toEqual(["hero"]);
    expect(composed.errors.map((e) => [e.instanceId, e.reason])).toEqual([["fragile", "error"]]);
  });

  it("also refuses the page when the client renders no template of an essential placement", async () => {
    const response = await server.app.inject({ url: "/v1/pages/old-client?platform=tv&clientVersion=5.0.0" });
    expect(response.statusCode).toBe(503);
    expect(response.json().message).toMatch(/unsupported-client/);
  });
});
