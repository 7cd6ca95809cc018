import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValidationProblemsSchema } from "../../protos/gen/tessera/layout/v1/layout_pb.js";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";

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
