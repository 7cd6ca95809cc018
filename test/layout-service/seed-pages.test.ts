import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { decodePage } from "../support/page.ts";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { devToken } from "../support/tessera.ts";

/** The reference page (docs/workload.md), in order. */
const REFERENCE = [
  "hero",
  "continue-watching",
  "top-picks",
  "genre-drama",
  "genre-comedy",
  "genre-action",
  "genre-adventure",
  "genre-thriller-suspense",
  "genre-horror",
  "genre-romantic-comedy",
  "genre-musical",
  "genre-documentary",
  "genre-western",
  "favorites",
];

describe("seed layouts served from the file store", () => {
  let api: LayoutApi;
  beforeAll(async () => {
    api = await startLayoutApi();
  });
  afterAll(() => api.stop());

  async function pageFor(query: string, userId = "u7", cohort?: string): Promise<Page> {
    const token = await devToken({ userId, cohort });
    const response = await api.tessera.app.inject({ url: `/v1/pages/home?${query}`, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode, response.body).toBe(200);
    return decodePage(response.rawPayload);
  }
  const ids = (page: Page) => page.widgets.map((w) => w.instanceId);
  const heroTemplate = (page: Page) => page.widgets.find((w) => w.instanceId === "hero")?.templateVersion;

  it("serves web 5.0.0 exactly the reference page, with hero template 2", async () => {
    const page = await pageFor("platform=web&clientVersion=5.0.0");
    expect(ids(page)).toEqual(REFERENCE);
    expect(page.errors).toEqual([]);
    expect(heroTemplate(page)).toBe("2");
    expect(page.layoutVersion).toBe("1");
  });

  it("serves tv its own rows", async () => {
    const page = await pageFor("platform=tv&clientVersion=4.0.0");
    expect(ids(page)).toEqual([
      "hero",
      "continue-watching",
      "top-picks",
      "genre-drama",
      "genre-comedy",
      "genre-action",
      "genre-adventure",
      "genre-documentary",
    ]);
    expect(heroTemplate(page)).toBe("2");
  });

  it("serves the kids cohort family genres first and no horror or thriller", async () => {
    const page = await pageFor("platform=web&clientVersion=5.0.0", "u7", "kids");
    expect(ids(page).slice(0, 5)).toEqual(["hero", "continue-watching", "top-picks", "genre-adventure", "genre-comedy"]);
    expect(ids(page)).not.toContain("genre-horror");
    expect(ids(page)).not.toContain("genre-thriller-suspense");
  });

  it("serves android clients older than 5.0.0 the legacy variant, whose hero falls back to template 1", async () => {
    const old = await pageFor("platform=android&clientVersion=4.2.0");
    expect(heroTemplate(old)).toBe("1");
    expect(ids(old)).not.toContain("favorites");
    // Two conditions beat the kids variant's one.
    expect(ids(await pageFor("platform=android&clientVersion=4.2.0", "u7", "kids"))).toEqual(ids(old));
    const current = await pageFor("platform=android&clientVersion=5.0.0");
    expect(ids(current)).toEqual(REFERENCE);
    expect(heroTemplate(current)).toBe("2");
  });
});
