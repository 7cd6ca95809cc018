/** The files of a new widget, as a widget team starts from them: a working tray of the persona's top picks. */
import type { WidgetNames } from "./names.ts";

export function protoFile(n: WidgetNames): string {
  return `syntax = "proto3";

package tessera.widgets.v1;

import "tessera/widgets/v1/item.proto";

// The ${n.type} widget: what a client needs to draw it. Scaffolded as a titled row of tiles;
// add fields with new numbers, never renumber or reuse one (clients in the field decode by number).
message ${n.pascal} {
  string title = 1;
  repeated Item items = 2;
}
`;
}

export function binderFile(n: WidgetNames): string {
  return `/** ${n.title}: the persona's top picks as a titled row of tiles. Scaffolded by \`npm run new-widget\`; make it yours. */
import { create, defineBinder, toItem, z, type Tile } from "../../widget-registry/sdk.ts";
import { ${n.pascal}Schema } from "../../protos/gen/tessera/widgets/v1/${n.snake}_pb.js";
import { messages } from "./messages.ts";

export default defineBinder({
  type: "${n.type}",
  body: "${n.camel}",
  templates: [
    { version: "1", minClientVersion: { web: "1.0.0", android: "1.0.0", ios: "1.0.0", tv: "1.0.0" }, status: "experimental" },
  ],
  configSchema: z.object({ limit: z.number().int().min(1).max(20).default(10) }),
  cacheScope: "persona",
  deadlineMs: 250,
  maxItems: 20,
  messages,

  async fetch(_ctx, config, dds): Promise<Tile[]> {
    return (await dds.tiles(await dds.topPicks())).slice(0, config.limit);
  },

  bind(tiles, ctx) {
    if (tiles.length === 0) return null;
    return create(${n.pascal}Schema, { title: ctx.t("title"), items: tiles.map((tile) => toItem(tile, ctx)) });
  },
});
`;
}

export function messagesFile(n: WidgetNames): string {
  return `import type { MessageCatalogs } from "../../widget-registry/sdk.ts";

// Every shipped locale needs every key (checkLocales in the test); translate "fr" before shipping.
export const messages = {
  en: { title: ${JSON.stringify(n.title)} },
  fr: { title: ${JSON.stringify(n.title)} },
} satisfies MessageCatalogs;
`;
}

export function testFile(n: WidgetNames): string {
  return `import { describe, expect, it } from "vitest";
import ${n.camel} from "../../binders/${n.type}/binder.ts";
import { messages } from "../../binders/${n.type}/messages.ts";
import { checkAccessibility, checkImageSizes, checkKidsRatings, checkLocales, testBinder } from "../../widget-registry/testing.ts";
import { startLayoutApi } from "../support/layout-api.ts";

describe("${n.type}", () => {
  it("shows the persona's top picks, titled in the request's language", async () => {
    const run = await testBinder(${n.camel}, { config: { limit: 5 }, ctx: { locale: "fr", persona: "p2" } });
    expect(run.outcome).toBe("ok");
    expect(run.body?.title).toBe(messages.fr.title);
    expect(run.body?.items).toHaveLength(5);
    expect(run.ddsCalls.map((call) => call.dds)).toEqual(["reco", "content", "entitlement"]);
  });

  it("shows the kids cohort only titles for kids", async () => {
    const report = await checkKidsRatings(${n.camel});
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("gives every form factor correctly sized images", async () => {
    const report = await checkImageSizes(${n.camel});
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("has every string in every shipped locale", async () => {
    expect((await checkLocales(${n.camel})).problems).toEqual([]);
  });

  it("gives screen readers a heading and a label naming each item's title, in every shipped locale", async () => {
    const report = await checkAccessibility(${n.camel});
    expect(report.problems).toEqual([]);
    expect(report.items).toBeGreaterThan(0);
  });

  it("shows up on a preview page", async () => {
    const api = await startLayoutApi();
    try {
      const operator = await api.client("operator");
      const { page } = await operator.previewDraft({
        pageId: "home",
        layout: { pageId: "home", variants: [{ id: "preview", placements: [{ instanceId: "${n.type}", type: "${n.type}", config: { limit: 5 } }] }] },
        platform: "web",
      });
      expect(page?.widgets.map((widget) => widget.type)).toEqual(["${n.type}"]);
      expect(page?.widgets[0]?.body.case).toBe("${n.camel}");
    } finally {
      await api.stop();
    }
  });
});
`;
}
