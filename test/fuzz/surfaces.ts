/**
 * Every surface of the server as a valid request, to be mutated: pages, both Connect services in
 * each protocol and codec (Connect POST and GET, streaming, gRPC-Web, gRPC on the h2c listener),
 * the gRPC listener's health service and server reflection, the layout JSON API, user writes, events, images
 * and the dashboard's files.
 */
import { create, toBinary, toJsonString, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetPageRequestSchema, GetWidgetRequestSchema, StreamPageRequestSchema } from "../../protos/gen/tessera/page/v1/page_service_pb.js";
import {
  GetLayoutRequestSchema,
  ListHistoryRequestSchema,
  PreviewDraftRequestSchema,
  SaveDraftRequestSchema,
  ValidateDraftRequestSchema,
} from "../../protos/gen/tessera/layout/v1/layout_service_pb.js";
import { SEED_DIR } from "../../layout-service/seed.ts";
import { EventBatchSchema } from "../../protos/gen/tessera/events/v1/events_pb.js";
import { HealthCheckRequestSchema } from "../../protos/gen/grpc/health/v1/health_pb.js";
import { ServerReflectionRequestSchema } from "../../protos/gen/grpc/reflection/v1/reflection_pb.js";

export interface FuzzRequest {
  /** Sent to the h2c listener (gRPC) rather than the HTTP/1.1 port. */
  h2?: boolean;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface FuzzContext {
  operatorToken: string;
  userToken: string;
}

/** What a surface's request is about: mutators swap these for hostile ones. */
export interface Subject {
  pageId: string;
  layout: Record<string, unknown>;
}

export interface Surface {
  name: string;
  make(ctx: FuzzContext, subject: Subject): FuzzRequest;
}

export const seedLayout = (): Record<string, unknown> => JSON.parse(readFileSync(join(SEED_DIR, "home.json"), "utf8"));

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const enveloped = (message: Uint8Array) => {
  const framed = new Uint8Array(5 + message.length);
  new DataView(framed.buffer).setUint32(1, message.length);
  framed.set(message, 5);
  return framed;
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

type Codec = "connect-json" | "connect-proto" | "connect-stream" | "grpc-web" | "grpc";

/** An RPC of `service` in one protocol and codec. */
function rpc<Desc extends DescMessage>(
  service: string,
  method: string,
  schema: Desc,
  codec: Codec,
  init: (subject: Subject) => MessageInitShape<Desc>,
  auth: (ctx: FuzzContext) => Record<string, string> = () => ({}),
): Surface {
  return {
    name: `${service.split(".").at(-1)}/${method} ${codec}`,
    make(ctx, subject) {
      const message = create(schema, init(subject));
      const binary = toBinary(schema, message);
      const path = `/${service}/${method}`;
      const headers = auth(ctx);
      switch (codec) {
        case "connect-json":
          return {
            method: "POST",
            path,
            headers: { ...headers, "content-type": "application/json" },
            body: new TextEncoder().encode(toJsonString(schema, message)),
          };
        case "connect-proto":
          return { method: "POST", path, headers: { ...headers, "content-type": "application/proto" }, body: binary };
        case "connect-stream":
          return { method: "POST", path, headers: { ...headers, "content-type": "application/connect+proto" }, body: enveloped(binary) };
        case "grpc-web":
          return { method: "POST", path, headers: { ...headers, "content-type": "application/grpc-web+proto" }, body: enveloped(binary) };
        case "grpc":
          return {
            h2: true,
            method: "POST",
            path,
            headers: { ...headers, "content-type": "application/grpc", te: "trailers" },
            body: enveloped(binary),
          };
      }
    },
  };
}

const PAGE_SERVICE = "tessera.page.v1.PageService";
const LAYOUT_SERVICE = "tessera.layout.v1.LayoutService";
const pageRequest = (subject: Subject) => ({ pageId: subject.pageId, platform: "web", clientVersion: "5.0.0" });
const operator = (ctx: FuzzContext) => bearer(ctx.operatorToken);
const layoutOf = (subject: Subject) => ({ ...subject.layout }) as never;

export const surfaces: readonly Surface[] = [
  {
    name: "GET /v1/pages",
    make: (_ctx, s) => ({ method: "GET", path: `/v1/pages/${encodeURIComponent(s.pageId)}?platform=web&clientVersion=5.0.0`, headers: {} }),
  },
  {
    name: "GET /v1/pages json, signed in",
    make: (ctx, s) => ({
      method: "GET",
      path: `/v1/pages/${encodeURIComponent(s.pageId)}?platform=tv`,
      headers: { accept: "application/json", ...bearer(ctx.userToken) },
    }),
  },
  ...(["connect-json", "connect-proto", "grpc-web", "grpc"] as const).map((codec) =>
    rpc(PAGE_SERVICE, "GetPage", GetPageRequestSchema, codec, pageRequest),
  ),
  {
    name: "GET /v1/pages/title with a parameter",
    make: (_ctx, s) => ({
      method: "GET",
      path: `/v1/pages/title?contentId=${encodeURIComponent(s.pageId)}&platform=web&clientVersion=5.0.0`,
      headers: {},
    }),
  },
  {
    name: "GET /v1/pages/:pageId/widgets/:instanceId",
    make: (ctx, s) => ({
      method: "GET",
      path: `/v1/pages/${encodeURIComponent(s.pageId)}/widgets/genre-drama?platform=web&clientVersion=5.0.0&pageToken=${encodeURIComponent(s.pageId)}.AAAA`,
      headers: bearer(ctx.userToken),
    }),
  },
  ...(["connect-json", "connect-proto", "grpc-web", "grpc"] as const).map((codec) =>
    rpc(PAGE_SERVICE, "GetWidget", GetWidgetRequestSchema, codec, (subject) => ({
      ...pageRequest(subject),
      instanceId: "genre-drama",
      pageToken: `${subject.pageId}.AAAA`,
    })),
  ),
  {
    name: "PageService/GetPage Connect GET",
    make: (_ctx, s) => ({
      method: "GET",
      path: `/${PAGE_SERVICE}/GetPage?connect=v1&encoding=proto&base64=1&message=${Buffer.from(toBinary(GetPageRequestSchema, create(GetPageRequestSchema, pageRequest(s)))).toString("base64url")}`,
      headers: {},
    }),
  },
  ...(["connect-stream", "grpc-web", "grpc"] as const).map((codec) =>
    rpc(PAGE_SERVICE, "StreamPage", StreamPageRequestSchema, codec, pageRequest),
  ),
  ...(["connect-json", "connect-proto", "grpc-web", "grpc"] as const).flatMap((codec) => [
    rpc(LAYOUT_SERVICE, "GetLayout", GetLayoutRequestSchema, codec, (s) => ({ pageId: s.pageId }), operator),
    rpc(LAYOUT_SERVICE, "ValidateDraft", ValidateDraftRequestSchema, codec, (s) => ({ pageId: s.pageId, layout: layoutOf(s) }), operator),
  ]),
  rpc(
    LAYOUT_SERVICE,
    "SaveDraft",
    SaveDraftRequestSchema,
    "connect-json",
    (s) => ({ pageId: s.pageId, layout: layoutOf(s), baseRevision: 0 }),
    operator,
  ),
  rpc(LAYOUT_SERVICE, "ListHistory", ListHistoryRequestSchema, "connect-proto", (s) => ({ pageId: s.pageId }), operator),
  rpc(
    LAYOUT_SERVICE,
    "PreviewDraft",
    PreviewDraftRequestSchema,
    "connect-json",
    (s) => ({ pageId: s.pageId, layout: layoutOf(s), platform: "web" }),
    operator,
  ),
  {
    name: "GET /v1/layouts/:id",
    make: (ctx, s) => ({ method: "GET", path: `/v1/layouts/${encodeURIComponent(s.pageId)}`, headers: operator(ctx) }),
  },
  {
    name: "GET /v1/layouts/:id/history",
    make: (ctx, s) => ({ method: "GET", path: `/v1/layouts/${encodeURIComponent(s.pageId)}/history`, headers: operator(ctx) }),
  },
  {
    name: "POST /v1/layouts/:id/validate",
    make: (ctx, s) => ({
      method: "POST",
      path: `/v1/layouts/${encodeURIComponent(s.pageId)}/validate`,
      headers: { ...operator(ctx), "content-type": "application/json" },
      body: json({ layout: s.layout }),
    }),
  },
  {
    name: "PUT /v1/layouts/:id/draft",
    make: (ctx, s) => ({
      method: "PUT",
      path: `/v1/layouts/${encodeURIComponent(s.pageId)}/draft`,
      headers: { ...operator(ctx), "content-type": "application/json" },
      body: json({ layout: s.layout, baseRevision: 0 }),
    }),
  },
  {
    name: "POST /v1/layouts/:id/preview",
    make: (ctx, s) => ({
      method: "POST",
      path: `/v1/layouts/${encodeURIComponent(s.pageId)}/preview`,
      headers: { ...operator(ctx), "content-type": "application/json" },
      body: json({ layout: s.layout, platform: "web" }),
    }),
  },
  {
    name: "PUT /v1/me/progress",
    make: (ctx) => ({
      method: "PUT",
      path: "/v1/me/progress/m12",
      headers: { ...bearer(ctx.userToken), "content-type": "application/json" },
      body: json({ progressPercent: 42 }),
    }),
  },
  {
    name: "POST /v1/me/favorites toggle",
    make: (ctx) => ({ method: "POST", path: "/v1/me/favorites/m12/toggle", headers: bearer(ctx.userToken) }),
  },
  {
    name: "POST /v1/events",
    make: (ctx, s) => ({
      method: "POST",
      path: "/v1/events",
      headers: { ...bearer(ctx.userToken), "content-type": "application/json" },
      body: json({
        events: [
          { type: "impression", pageViewId: "pv-1", pageId: s.pageId, instanceId: "hero-1", widgetPosition: 0, timestamp: Date.now() },
          {
            type: "click",
            pageViewId: "pv-1",
            pageId: s.pageId,
            instanceId: "tray-2",
            widgetPosition: 2,
            contentId: "m12",
            itemPosition: 3,
            timestamp: Date.now(),
          },
        ],
      }),
    }),
  },
  {
    name: "POST /v1/events protobuf",
    make: (_ctx, s) => ({
      method: "POST",
      path: "/v1/events",
      headers: { "content-type": "application/x-protobuf" },
      body: toBinary(
        EventBatchSchema,
        create(EventBatchSchema, {
          events: [
            {
              type: "click",
              pageViewId: "pv-1",
              pageId: s.pageId,
              instanceId: "tray-2",
              widgetPosition: 2,
              contentId: "m12",
              itemPosition: 3,
              timestamp: BigInt(Date.now()),
            },
          ],
        }),
      ),
    }),
  },
  {
    name: "POST /v1/content/changes",
    make: (ctx) => ({
      method: "POST",
      path: "/v1/content/changes",
      headers: { ...operator(ctx), "content-type": "application/json" },
      body: json({ kind: "set-title", contentId: "m12", title: "A fuzzed title" }),
    }),
  },
  // The subject's page id as the name asked about: hostile strings reach the lookups.
  rpc("grpc.health.v1.Health", "Check", HealthCheckRequestSchema, "grpc", (s) => ({ service: s.pageId })),
  rpc("grpc.reflection.v1.ServerReflection", "ServerReflectionInfo", ServerReflectionRequestSchema, "grpc", (s) => ({
    messageRequest: { case: "fileContainingSymbol" as const, value: s.pageId },
  })),
  { name: "GET /images", make: () => ({ method: "GET", path: "/images/m12/poster/200x300.svg", headers: {} }) },
  { name: "GET /dashboard", make: () => ({ method: "GET", path: "/dashboard/", headers: {} }) },
  { name: "GET /app", make: () => ({ method: "GET", path: "/app/", headers: {} }) },
  { name: "GET /dashboard/app.js", make: () => ({ method: "GET", path: "/dashboard/app.js", headers: {} }) },
];
