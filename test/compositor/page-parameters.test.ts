/** Pages that take parameters (the title and genre pages): validation over HTTP and Connect, their widgets, their caching. */
import { fromBinary } from "@bufbuild/protobuf";
import { WidgetSchema } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { PageService } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import type { Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import type { Tessera } from "../../compositor/server.ts";
import { devToken, startTessera } from "../support/tessera.ts";
import { ddsCallsOf, decodePage, itemsOf } from "../support/page.ts";

let tessera: Tessera;
let rpc: Client<typeof PageService>;
beforeAll(async () => {
  tessera = await startTessera();
  const baseUrl = await tessera.app.listen({ host: "127.0.0.1", port: 0 });
  rpc = createClient(PageService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
});
afterAll(() => tessera.app.close());

const get = (url: string, headers: Record<string, string> = {}) => tessera.app.inject({ method: "GET", url, headers });
const titlePage = (contentId: string, more = "") => `/v1/pages/title?platform=web&clientVersion=5.0.0&contentId=${contentId}${more}`;
const widget = (page: Page, instanceId: string) => page.widgets.find((w) => w.instanceId === instanceId);

describe("page parameters over HTTP", () => {
  it.each([
    ["a missing one", "/v1/pages/title?platform=web&clientVersion=5.0.0", 'contentId: is required by page "title"'],
    ["a bad value", titlePage("12"), "contentId: must be a content id such as m12"],
    ["a value too long", titlePage(`m${"1".repeat(70)}`), "contentId: must be a content id such as m12"],
    ["one the page does not take", titlePage("m20", "&genre=Drama"), '"genre": is not a parameter of page "title" (it takes contentId)'],
    ["one given twice", titlePage("m20", "&contentId=m59"), "contentId: is given more than once"],
    [
      "any on a page without parameters",
      "/v1/pages/home?platform=web&contentId=m20",
      '"contentId": is not a parameter of page "home" (it takes none)',
    ],
    [
      "a genre of characters it does not take",
      "/v1/pages/genre?platform=web&clientVersion=5.0.0&genre=%3Cscript%3E",
      "genre: must be 1 to 64",
    ],
  ])("answers 400 invalid-parameter for %s, naming it", async (_case, url, message) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("invalid-parameter");
    expect(response.json().message).toContain(message);
  });

  it("answers 404 not-found for a title that does not exist, not a page of empty widgets", async () => {
    const response = await get(titlePage("m999999"));
    expect([response.statusCode, response.json()]).toEqual([404, { code: "not-found", message: 'title "m999999" does not exist' }]);
  });

  it("answers 404 to the kids cohort for a title not for kids, and serves them one that is", async () => {
    const headers = { authorization: `Bearer ${await devToken({ userId: "u7", cohort: "kids" })}` };
    expect((await get(titlePage("m20"), headers)).statusCode).toBe(404); // Twelve Monkeys, R
    expect((await get(titlePage("m59"), headers)).statusCode).toBe(200); // PG
  });

  it("answers 404 for a genre the catalog does not have", async () => {
    const response = await get("/v1/pages/genre?platform=web&clientVersion=5.0.0&genre=Space%20Opera");
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/^genre "Space Opera" does not exist/);
  });
});

describe("the title page", () => {
  it("shows the title: its hero plays it, its details, titles like it and its genre, never itself", async () => {
    const headers = { authorization: `Bearer ${await devToken({ userId: "u42" })}` };
    for (const contentId of ["m20", "m59", "m841"]) {
      const response = await get(titlePage(contentId), headers);
      expect(response.statusCode, response.body).toBe(200);
      const page = decodePage(response.rawPayload);
      expect(page.widgets.map((w) => w.type)).toEqual(["title-hero", "title-details", "more-like-this", "same-genre"]);
      const [slide] = itemsOf(widget(page, "hero")!);
      expect(slide?.contentId).toBe(contentId);
      expect(slide?.action?.kind.case).toBe("play");
      expect(slide?.secondaryActions.map((action) => action.kind.case)).toContain("toggleFavorite");
      const details = widget(page, "details")!.body;
      expect(details.case === "titleDetails" && details.value.item?.contentId).toBe(contentId);
      // "The same genre" is deferred (below the fold): a placeholder in the page, the tray from the widget endpoint.
      const placeholder = widget(page, "same-genre")!;
      expect(placeholder.body.case).toBeUndefined();
      const later = await get(
        `/v1/pages/title/widgets/same-genre?contentId=${contentId}&platform=web&clientVersion=5.0.0&pageToken=${encodeURIComponent(placeholder.deferred!.pageToken)}`,
        headers,
      );
      expect(later.statusCode, later.body).toBe(200);
      const sameGenre = fromBinary(WidgetSchema, later.rawPayload);
      for (const tray of [widget(page, "more-like-this")!, sameGenre]) {
        const items = itemsOf(tray);
        expect(items.length).toBeGreaterThan(0);
        expect(items.map((item) => item.contentId)).not.toContain(contentId);
        expect(items.every((item) => item.action?.kind.case === "openPage")).toBe(true);
      }
      expect(sameGenre.body.case === "tray" && sameGenre.body.value.seeAll?.kind.case).toBe("openPage");
    }
  });

  it("is answered over Connect with GetPageRequest.parameters, and refused with a clear message without them", async () => {
    const response = await rpc.getPage({
      pageId: "title",
      platform: "web",
      clientVersion: "5.0.0",
      parameters: [{ name: "contentId", value: "m20" }],
    });
    expect(itemsOf(response.page!.widgets[0]!)[0]?.contentId).toBe("m20");
    const refused = await rpc
      .getPage({ pageId: "title", platform: "web", clientVersion: "5.0.0" })
      .catch((e: unknown) => ConnectError.from(e));
    expect(refused).toMatchObject({ code: Code.InvalidArgument, rawMessage: 'contentId: is required by page "title"' });
    const unknown = await rpc
      .getPage({ pageId: "title", platform: "web", clientVersion: "5.0.0", parameters: [{ name: "contentId", value: "m999999" }] })
      .catch((e: unknown) => ConnectError.from(e));
    expect(unknown).toMatchObject({ code: Code.NotFound, rawMessage: 'title "m999999" does not exist' });
  });

  it("refuses a StreamPage with a bad parameter before it streams", async () => {
    const stream = rpc.streamPage({
      pageId: "title",
      platform: "web",
      clientVersion: "5.0.0",
      parameters: [{ name: "contentId", value: "x" }],
    });
    const refused = await (async () => {
      for await (const _event of stream);
    })().catch((e: unknown) => ConnectError.from(e));
    expect(refused).toMatchObject({ code: Code.InvalidArgument, rawMessage: "contentId: must be a content id such as m12" });
  });
});

describe("caching pages with parameters", () => {
  it("keeps each title's widgets apart: a second title never gets the first one's cached widgets", async () => {
    const first = await get(titlePage("m136"));
    const second = decodePage((await get(titlePage("m859"))).rawPayload);
    const again = await get(titlePage("m136"));
    const heroOf = (page: Page) => itemsOf(widget(page, "hero")!)[0]?.contentId;
    expect([heroOf(decodePage(first.rawPayload)), heroOf(second), heroOf(decodePage(again.rawPayload))]).toEqual(["m136", "m859", "m136"]);
    const sameGenre = (page: Page) => itemsOf(widget(page, "same-genre")!).map((item) => item.contentId);
    expect(sameGenre(second)).not.toContain("m859");
    // The widgets were kept: asked again, the page costs fewer DDS calls (only title-details, user scope, composes).
    const calls = (response: typeof first) => ddsCallsOf(response.headers["server-timing"] as string);
    expect(calls(again)).toBeLessThan(calls(first));
  });

  it("keeps each genre's page apart in the page cache, and shares it between requests of one genre", async () => {
    const genrePage = (genre: string) => get(`/v1/pages/genre?platform=web&clientVersion=5.0.0&genre=${genre}`);
    const drama = await genrePage("Drama");
    const comedy = await genrePage("Comedy");
    const dramaAgain = await genrePage("Drama");
    expect(drama.headers["cache-control"]).toMatch(/^public/);
    const title = (response: typeof drama) => {
      const body = decodePage(response.rawPayload).widgets[0]!.body;
      return body.case === "grid" ? body.value.title : undefined;
    };
    expect([title(drama), title(comedy), title(dramaAgain)]).toEqual(["Drama", "Comedy", "Drama"]);
    expect(itemsOf(decodePage(comedy.rawPayload).widgets[0]!)).toHaveLength(24);
    expect(ddsCallsOf(dramaAgain.headers["server-timing"] as string)).toBe(0);
    expect(dramaAgain.headers.etag).toBe(drama.headers.etag);
    expect(comedy.headers.etag).not.toBe(drama.headers.etag);
  });
});
