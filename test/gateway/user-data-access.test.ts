/**
 * Whose data a caller may read. A user's history and favorites reach a page only for that user's own
 * token, or for an operator previewing as them (logged); a viewer previews anonymously only.
 */
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNode } from "../../bench/processes.ts";
import { PageService } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import { PageSchema, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { startLayoutApi, type LayoutApi } from "../support/layout-api.ts";
import { decodePage, itemsOf } from "../support/page.ts";
import { devToken } from "../support/tessera.ts";

let api: LayoutApi;
beforeAll(async () => {
  api = await startLayoutApi();
});
afterAll(() => api.stop());

/** The user data a page shows: the content ids of its continue-watching and favorites widgets. */
function userDataOf(page: Page): { history: string[]; favorites: string[] } {
  const ids = (type: string) =>
    page.widgets
      .filter((w) => w.type === type)
      .flatMap(itemsOf)
      .map((item) => item.contentId);
  return { history: ids("continue-watching"), favorites: ids("favorites") };
}

const bearer = async (userId: string, roles: Array<"operator" | "viewer"> = []) => `Bearer ${await devToken({ userId, roles })}`;

async function ownPage(userId: string): Promise<Page> {
  const response = await fetch(`${api.baseUrl}/v1/pages/home?platform=web&clientVersion=5.0.0`, {
    headers: { authorization: await bearer(userId) },
  });
  expect(response.status).toBe(200);
  return decodePage(new Uint8Array(await response.arrayBuffer()));
}

async function jsonPreview(authorization: string, userId?: string) {
  const response = await fetch(`${api.baseUrl}/v1/layouts/home/preview`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify({ platform: "web", clientVersion: "5.0.0", ...(userId === undefined ? {} : { userId }) }),
  });
  const body = (await response.json()) as { page?: JsonValue; code?: string; message?: string };
  return { status: response.status, body, page: body.page === undefined ? undefined : fromJson(PageSchema, body.page) };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) => `${Code[ConnectError.from(error).code]}: ${ConnectError.from(error).rawMessage}`,
  );

describe("preview as a named user", () => {
  it("is refused to a viewer, over JSON (403 forbidden) and Connect (PERMISSION_DENIED), saying why", async () => {
    const json = await jsonPreview(await bearer("vera", ["viewer"]), "u42");
    expect(json.status).toBe(403);
    expect(json.body).toEqual({
      code: "forbidden",
      message: expect.stringMatching(/"u42".*history and favorites.*operator.*preview anonymously/),
    });

    const viewer = await api.client("viewer");
    expect(await codeOf(viewer.previewDraft({ pageId: "home", platform: "web", clientVersion: "5.0.0", userId: "u42" }))).toMatch(
      /^PermissionDenied: .*operator/,
    );
  });

  it("is open to a viewer anonymously, and then shows nobody's history or favorites", async () => {
    const json = await jsonPreview(await bearer("vera", ["viewer"]));
    expect(json.status).toBe(200);
    expect(userDataOf(json.page!)).toEqual({ history: [], favorites: [] });

    const connect = await (await api.client("viewer")).previewDraft({ pageId: "home", platform: "web", clientVersion: "5.0.0" });
    expect(userDataOf(connect.page!)).toEqual({ history: [], favorites: [] });
  });

  it("shows an operator what the user's own page shows, over JSON and Connect", async () => {
    const own = userDataOf(await ownPage("u42"));
    expect(own.history.length).toBeGreaterThan(0);
    expect(own.favorites.length).toBeGreaterThan(0);

    const json = await jsonPreview(await bearer("alice", ["operator"]), "u42");
    expect(json.status).toBe(200);
    expect(userDataOf(json.page!)).toEqual(own);

    const connect = await (
      await api.client("operator")
    ).previewDraft({ pageId: "home", platform: "web", clientVersion: "5.0.0", userId: "u42" });
    expect(userDataOf(connect.page!)).toEqual(own);
  });
});

describe("a signed-in user's reads", () => {
  it("show their own history and favorites only, and no parameter names another user", async () => {
    const u42 = userDataOf(await ownPage("u42"));
    const u43 = userDataOf(await ownPage("u43"));
    expect(u42.history).not.toEqual(u43.history);
    // A query naming a user is refused: the home page takes no parameter.
    const naming = await fetch(`${api.baseUrl}/v1/pages/home?platform=web&clientVersion=5.0.0&userId=u43`, {
      headers: { authorization: await bearer("u42") },
    });
    expect([naming.status, ((await naming.json()) as { code: string }).code]).toEqual([400, "invalid-parameter"]);

    const pages = createClient(
      PageService,
      createConnectTransport({
        baseUrl: api.baseUrl,
        httpVersion: "1.1",
        interceptors: [(next) => async (request) => (request.header.set("authorization", await bearer("u42")), next(request))],
      }),
    );
    const { page } = await pages.getPage({ pageId: "home", platform: "web", clientVersion: "5.0.0" });
    expect(userDataOf(page!)).toEqual(u42);
  });

  it("get back only their own history from a write", async () => {
    const u44 = userDataOf(await ownPage("u44"));
    const response = await fetch(`${api.baseUrl}/v1/me/progress/m369`, {
      method: "PUT",
      headers: { authorization: await bearer("u44"), "content-type": "application/json" },
      body: JSON.stringify({ progressPercent: 42 }),
    });
    const { entries } = (await response.json()) as { entries: Array<{ contentId: string }> };
    expect(new Set(entries.map((entry) => entry.contentId).filter((id) => id !== "m369"))).toEqual(new Set(u44.history));
  });
});

describe("the audit log", () => {
  it("records an operator's preview as a named user with who asked and as whom", async () => {
    let output = "";
    const server = await startNode(
      "compositor/main.ts",
      { GRPC_PORT: "0", LOG_LEVEL: "info", LAYOUT_DATA_DIR: mkdtempSync(join(tmpdir(), "tessera-audit-")) },
      [],
      { onStdout: (text) => (output += text) },
    );
    try {
      const response = await fetch(`${server.url}/v1/layouts/home/preview`, {
        method: "POST",
        headers: { authorization: await bearer("alice", ["operator"]), "content-type": "application/json" },
        body: JSON.stringify({ platform: "web", userId: "u42" }),
      });
      expect(response.status).toBe(200);
      await expect
        .poll(() =>
          output
            .split("\n")
            .filter((line) => line.includes('"preview as a named user"'))
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        )
        .toEqual([expect.objectContaining({ level: 30, operator: "alice", previewedUser: "u42", pageId: "home" })]);
    } finally {
      await server.stop();
    }
  });
});
