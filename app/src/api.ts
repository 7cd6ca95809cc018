/**
 * The only module that speaks to Tessera. Pages and widgets come as protobuf and are decoded with the
 * generated code; every request carries the client's dimensions, has a deadline, and a failure
 * becomes an ApiFailure with the server's `{code, message}`.
 */
import { fromBinary } from "@bufbuild/protobuf";
import { PageSchema, type Page } from "../../protos/gen/tessera/page/v1/page_pb.js";
import { WidgetSchema, type Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import { anonymousPersona, token } from "./session.ts";

/** A page to show: its id and its parameters (e.g. the title page's `contentId`). */
export interface PageRef {
  pageId: string;
  parameters: { name: string; value: string }[];
}

/** One impression or click, as POST /v1/events takes it; contentId and itemPosition only for an item. */
export interface ClientEvent {
  type: "impression" | "click";
  pageViewId: string;
  pageId: string;
  instanceId: string;
  widgetPosition: number;
  variantId: string;
  experimentFlag: string;
  experimentVariation: string;
  recoRequestId: string;
  contentId?: string;
  itemPosition?: number;
  timestamp: number;
}

export class ApiFailure extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const DEADLINE_MS = 10_000;
const PROTOBUF = "application/x-protobuf";

/**
 * What the server composes for: this is the web app at 5.0.0, so its items carry full image URLs
 * (clients >= 6.0.0 get `Image.path` relative to `Page.image_base_url`; the renderer handles both).
 */
function dimensions(): URLSearchParams {
  const query = new URLSearchParams({ platform: "web", clientVersion: "5.0.0", locale: navigator.language.slice(0, 2) || "en" });
  // A signed-in caller's persona is its token's; an anonymous one names its own.
  if (!token()) query.set("persona", anonymousPersona());
  return query;
}

/** The dimensions and the page's parameters, by name: the same for the page and each of its widgets. */
function pageQuery(ref: PageRef, extra: Record<string, string> = {}): string {
  const query = dimensions();
  for (const { name, value } of ref.parameters) query.set(name, value);
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  return query.toString();
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const bearer = token();
  if (bearer) headers.set("authorization", `Bearer ${bearer}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, signal: init.signal ?? AbortSignal.timeout(DEADLINE_MS) });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw new ApiFailure(
      0,
      timedOut ? "timeout" : "network",
      timedOut ? "the server did not answer in time" : "the server cannot be reached",
    );
  }
  if (response.ok) return response;
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  throw new ApiFailure(response.status, body.code ?? "http", body.message ?? `${response.status} ${response.statusText}`);
}

const bytes = async (response: Response) => new Uint8Array(await response.arrayBuffer());

export async function fetchPage(ref: PageRef): Promise<Page> {
  const response = await call(`/v1/pages/${encodeURIComponent(ref.pageId)}?${pageQuery(ref)}`, { headers: { accept: PROTOBUF } });
  return fromBinary(PageSchema, await bytes(response));
}

/** One widget of a page: its next items (a `next_page_token`) or a deferred widget's body (`deferred.page_token`). */
export async function fetchWidget(ref: PageRef, instanceId: string, pageToken: string): Promise<Widget> {
  const path = `/v1/pages/${encodeURIComponent(ref.pageId)}/widgets/${encodeURIComponent(instanceId)}`;
  const response = await call(`${path}?${pageQuery(ref, { pageToken })}`, { headers: { accept: PROTOBUF } });
  return fromBinary(WidgetSchema, await bytes(response));
}

/** Adds the title to the signed-in user's favorites or takes it out; answers the new state. */
export async function toggleFavorite(contentId: string): Promise<boolean> {
  const response = await call(`/v1/me/favorites/${encodeURIComponent(contentId)}/toggle`, { method: "POST" });
  return ((await response.json()) as { favorite: boolean }).favorite;
}

/** A batch of at most 100 events. `keepalive` lets it outlive the page (pagehide). */
export async function sendEvents(events: ClientEvent[], keepalive = false): Promise<void> {
  await call("/v1/events", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ events }),
    keepalive,
  });
}
