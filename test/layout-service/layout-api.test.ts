import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toJson } from "@bufbuild/protobuf";
import { layoutMessage } from "../../layout-service/layout-messages.ts";
import { pageLayoutSchema } from "../../layout-service/model.ts";
import { PageLayoutSchema, ValidationProblemsSchema } from "../../protos/gen/tessera/layout/v1/layout_pb.js";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { binders } from "../support/tessera.ts";
import { documentFieldPaths, modelFieldPaths } from "../support/layout-model.ts";

let api: LayoutApi;
beforeAll(async () => {
  api = await startLayoutApi();
});
afterAll(() => api.stop());

async function rejection(promise: Promise<unknown>): Promise<ConnectError> {
  try {
    await promise;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("expected the call to fail");
}

describe("LayoutService access", () => {
  it("answers Unauthenticated without a token", async () => {
    const error = await rejection((await api.client()).listPages({}));
    expect(error.code).toBe(Code.Unauthenticated);
  });

  it("lets a viewer read but not write", async () => {
    const viewer = await api.client("viewer");
    const { pages } = await viewer.listPages({});
    expect(pages.map((page) => page.pageId)).toContain("home");
    const { draft } = await viewer.getLayout({ pageId: "home" });
    const error = await rejection(viewer.saveDraft({ pageId: "home", layout: draft!.layout, baseRevision: draft!.revision }));
    expect(error.code).toBe(Code.PermissionDenied);
  });
});

describe("LayoutService drafts", () => {
  it("refuses an invalid draft with every problem at its JSON path", async () => {
    const operator = await api.client("operator");
    const { draft } = await operator.getLayout({ pageId: "home" });
    const layout = draft!.layout!;
    layout.variants[0]!.placements[2]!.config = { limit: 500 };
    layout.variants[0]!.placements[3]!.type = "no-such-widget";
    const error = await rejection(operator.saveDraft({ pageId: "home", layout, baseRevision: draft!.revision }));
    expect(error.code).toBe(Code.InvalidArgument);
    const [details] = error.findDetails(ValidationProblemsSchema);
    expect(details!.problems.map((problem) => problem.path)).toEqual([
      "variants[0].placements[2].config.limit",
      "variants[0].placements[3].type",
    ]);
  });

  it("saves a draft, then answers Aborted to a write based on the old revision", async () => {
    const operator = await api.client("operator");
    const { draft } = await operator.getLayout({ pageId: "home" });
    const layout = draft!.layout!;
    layout.variants[0]!.placements.pop();
    const saved = await operator.saveDraft({ pageId: "home", layout, baseRevision: draft!.revision });
    expect(saved.draft!.revision).toBe(draft!.revision + 1);
    const error = await rejection(operator.saveDraft({ pageId: "home", layout, baseRevision: draft!.revision }));
    expect(error.code).toBe(Code.Aborted);
  });
});

describe("LayoutService publishing", () => {
  const servedIds = async () => {
    const response = await api.tessera.app.inject({
      url: "/v1/pages/home?platform=web&clientVersion=5.0.0",
      headers: { accept: "application/json" },
    });
    const page = response.json() as { layoutVersion: string; widgets: Array<{ instanceId: string }> };
    return { version: page.layoutVersion, ids: page.widgets.map((w) => w.instanceId) };
  };

  it("publishes the draft as a new version that the compositor serves at once, and lists it in history", async () => {
    const operator = await api.client("operator", "alice");
    const { draft, published } = await operator.getLayout({ pageId: "home" });
    const layout = draft!.layout!;
    const web = layout.variants.find((v) => v.id === "web")!;
    web.placements = web.placements.filter((p) => p.instanceId !== "genre-western");
    const saved = await operator.saveDraft({ pageId: "home", layout, baseRevision: draft!.revision });
    const { version } = await operator.publish({
      pageId: "home",
      message: "no westerns",
      draftRevision: saved.draft!.revision,
      baseVersion: published!.version,
    });
    expect(version).toMatchObject({ version: published!.version + 1, author: "alice", message: "no westerns" });
    expect(version!.publishedAt).toBeDefined();
    // Propagation is asynchronous, in process too: the compositor reads the new version after the notification.
    await expect.poll(async () => (await servedIds()).version, { timeout: 1000, interval: 5 }).toBe(String(version!.version));
    expect((await servedIds()).ids).not.toContain("genre-western");
    const { versions } = await operator.listHistory({ pageId: "home" });
    expect(versions.map((v) => v.version)).toEqual([
      version!.version,
      ...Array.from({ length: version!.version - 1 }, (_, i) => version!.version - 1 - i),
    ]);
    expect(versions[0]!.message).toBe("no westerns");
  });

  it("answers Aborted to a publish based on a stale version, publishing nothing", async () => {
    const operator = await api.client("operator");
    const { draft, published } = await operator.getLayout({ pageId: "home" });
    const error = await rejection(
      operator.publish({ pageId: "home", message: "late", draftRevision: draft!.revision, baseVersion: published!.version - 1 }),
    );
    expect(error.code).toBe(Code.Aborted);
    expect((await operator.getLayout({ pageId: "home" })).published!.version).toBe(published!.version);
  });

  it("rolls back by publishing an old version's layout as a new version", async () => {
    const operator = await api.client("operator", "carol");
    const { published } = await operator.getLayout({ pageId: "home" });
    const { version } = await operator.rollback({
      pageId: "home",
      toVersion: 1,
      baseVersion: published!.version,
      message: "westerns are back",
    });
    expect(version).toMatchObject({ version: published!.version + 1, rolledBackFrom: 1, author: "carol" });
    const first = (await operator.listHistory({ pageId: "home" })).versions.find((v) => v.version === 1)!;
    expect(version!.layout).toEqual(first.layout);
    await expect.poll(async () => (await servedIds()).version, { timeout: 1000, interval: 5 }).toBe(String(version!.version));
    expect((await servedIds()).ids).toContain("genre-western");
    const stale = await rejection(operator.rollback({ pageId: "home", toVersion: 1, baseVersion: published!.version, message: "again" }));
    expect(stale.code).toBe(Code.Aborted);
  });

  it("validates without saving, listing every problem", async () => {
    const viewer = await api.client("viewer");
    const { draft } = await viewer.getLayout({ pageId: "home" });
    const layout = draft!.layout!;
    layout.variants[1]!.match!.clientVersion = "not a range";
    const { problems } = await viewer.validateDraft({ pageId: "home", layout });
    expect(problems.map((p) => p.path)).toEqual(["variants[1].match.clientVersion"]);
    expect((await viewer.validateDraft({ pageId: "home" })).problems).toEqual([]);
  });

  it("previews a draft for a chosen platform, client version and cohort without publishing it", async () => {
    const viewer = await api.client("viewer");
    const { draft, published } = await viewer.getLayout({ pageId: "home" });
    const layout = draft!.layout!;
    layout.variants.find((v) => v.id === "tv")!.placements.splice(1);
    const tv = await viewer.previewDraft({ pageId: "home", layout, platform: "tv", clientVersion: "4.0.0" });
    expect(tv.variantId).toBe("tv");
    expect(tv.page!.layoutVersion).toBe("draft");
    expect(tv.page!.widgets.map((w) => w.instanceId)).toEqual(["hero"]);
    const kids = await viewer.previewDraft({ pageId: "home", layout, platform: "ios", clientVersion: "4.0.0", cohort: "kids" });
    expect(kids.variantId).toBe("kids");
    expect(kids.page!.widgets.find((w) => w.instanceId === "hero")!.templateVersion).toBe("1");
    const experiment = await viewer.previewDraft({ pageId: "home", platform: "web", flags: { "home-hero": "hero-v2" } });
    expect(experiment.variantId).toBe("home-hero-v2");
    expect((await viewer.getLayout({ pageId: "home" })).published!.version).toBe(published!.version);
  });

  it("lists every widget type with template versions, statuses and config JSON Schema", async () => {
    const { widgets } = await (await api.client("viewer")).listWidgets({});
    expect(widgets.map((w) => w.type).sort()).toEqual(binders.map((binder) => binder.type).sort());
    const hero = widgets.find((w) => w.type === "hero")!;
    expect(hero.templates.map((t) => [t.version, t.status, t.minClientVersion.web])).toEqual([
      ["1", "deprecated", "1.0.0"],
      ["2", "active", "5.0.0"],
    ]);
    expect(hero.cacheScope).toBe("persona");
    expect(hero.configSchema).toMatchObject({ type: "object", properties: { slides: { type: "integer", maximum: 10 } } });
  });
});

describe("LayoutService layout messages", () => {
  it("round-trips every field of the model through the typed messages", async () => {
    const operator = await api.client("operator");
    const document = {
      pageId: "promo",
      parameters: [{ name: "contentId", kind: "content-id", example: "m20" }],
      variants: [
        {
          id: "fr-web-new",
          description: "French web users on new clients during the promo, in the experiment",
          match: {
            platforms: ["web"],
            regions: ["FR"],
            cohorts: ["adults"],
            clientVersion: ">=5.0.0",
            experiment: { flag: "promo", variation: "b" },
            schedule: { from: "2026-12-01T00:00:00Z", until: "2027-01-01T00:00:00Z" },
          },
          placements: [
            {
              instanceId: "hero",
              type: "hero",
              templateVersion: "2",
              config: { slides: 3, rotateSeconds: 5 },
              schedule: { from: "2026-11-30T00:00:00Z", until: "2026-12-24T00:00:00Z" },
              essential: true,
            },
            { instanceId: "drama", type: "genre-tray", templateVersion: "newest", config: { genre: "Drama", limit: 7 }, deferred: true },
          ],
        },
      ],
    };
    // The document sets every field the model declares, so a field added to the model is round-tripped here too.
    const documentPaths = new Set(documentFieldPaths(document));
    expect(modelFieldPaths(pageLayoutSchema).filter((path) => !documentPaths.has(path))).toEqual([]);
    const layout = layoutMessage(pageLayoutSchema.parse(document));
    const { draft } = await operator.saveDraft({ pageId: "promo", layout, baseRevision: 0 });
    const read = (await operator.getLayout({ pageId: "promo" })).draft!;
    expect(read.revision).toBe(draft!.revision);
    expect(toJson(PageLayoutSchema, read.layout!)).toEqual(document);
    expect(read.basedOnVersion).toBe(0);
  });
});
