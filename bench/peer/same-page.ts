/**
 * That the Mercurius peer composes the page Tessera composes: for a caller, both pages' widgets
 * with the same items in the same order (id, title, image path, age rating, badge, progress,
 * accessibility label, action).
 */
import { HOME_QUERY } from "./schema.ts";

export const PAGE_PATH = "/v1/pages/home?platform=web&clientVersion=5.0.0";
export const PEER_PATH = "/graphql";
export const peerBody = JSON.stringify({ query: HOME_QUERY });

interface JsonItem {
  contentId: string;
  title: string;
  image?: { url: string };
  ageRating?: string;
  badge?: string;
  progressPercent?: number;
  accessibilityLabel?: string;
  action?: unknown;
}

/** An item as both pages must show it: the image without its host (each server names its own). */
const describe = (item: JsonItem) =>
  [
    item.contentId,
    item.title,
    item.image ? new URL(item.image.url).pathname : "",
    item.ageRating ?? "",
    item.badge ?? "",
    item.progressPercent ?? 0,
    item.accessibilityLabel ?? "",
    JSON.stringify(item.action ?? null),
  ].join(" | ");

/** "genre-thriller-suspense" → "genreThrillerSuspense": Tessera's instance id as the peer's field. */
const fieldOf = (instanceId: string) => instanceId.replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());

type Widgets = Map<string, string[]>;

async function tesseraWidgets(url: string, headers: Record<string, string>): Promise<Widgets> {
  const response = await fetch(url + PAGE_PATH, { headers: { ...headers, accept: "application/json" } });
  if (!response.ok) throw new Error(`Tessera: ${response.status} ${await response.text()}`);
  const page = (await response.json()) as { widgets: Array<Record<string, unknown> & { instanceId: string }> };
  const widgets: Widgets = new Map();
  for (const widget of page.widgets) {
    // The body is the one object with items (the envelope also holds `logging`).
    const body = Object.values(widget).find(
      (value) => typeof value === "object" && value !== null && ("slides" in value || "items" in value),
    ) as { slides?: JsonItem[]; items?: JsonItem[] };
    widgets.set(fieldOf(widget.instanceId), (body.slides ?? body.items ?? []).map(describe));
  }
  return widgets;
}

async function peerWidgets(url: string, headers: Record<string, string>): Promise<Widgets> {
  const response = await fetch(url + PEER_PATH, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: peerBody,
  });
  if (!response.ok) throw new Error(`peer: ${response.status} ${await response.text()}`);
  const answer = (await response.json()) as {
    data?: { home: Record<string, { slides?: JsonItem[]; items?: JsonItem[] } | null> };
    errors?: unknown;
  };
  if (!answer.data || answer.errors) throw new Error(`peer: ${JSON.stringify(answer.errors)}`);
  const widgets: Widgets = new Map();
  for (const [field, body] of Object.entries(answer.data.home)) {
    if (body) widgets.set(field, (body.slides ?? body.items ?? []).map(describe));
  }
  return widgets;
}

/** What differs between the two pages for a caller: [] when they show the same items. */
export async function pageDifferences(tesseraUrl: string, peerUrl: string, headers: Record<string, string>): Promise<string[]> {
  const [tessera, peer] = await Promise.all([tesseraWidgets(tesseraUrl, headers), peerWidgets(peerUrl, headers)]);
  const differences: string[] = [];
  if ([...tessera.keys()].join() !== [...peer.keys()].join())
    differences.push(`widgets: ${[...tessera.keys()]} against ${[...peer.keys()]}`);
  for (const [field, items] of tessera) {
    const theirs = peer.get(field) ?? [];
    if (items.length !== theirs.length) differences.push(`${field}: ${items.length} items against ${theirs.length}`);
    else items.forEach((item, i) => item !== theirs[i] && differences.push(`${field}[${i}]: ${item} against ${theirs[i]}`));
  }
  return differences;
}

/** Widgets and items of a page as Tessera serves it, e.g. "14 widgets, 257 items". */
export async function pageSize(tesseraUrl: string, headers: Record<string, string>): Promise<{ widgets: number; items: number }> {
  const widgets = await tesseraWidgets(tesseraUrl, headers);
  return { widgets: widgets.size, items: [...widgets.values()].reduce((sum, items) => sum + items.length, 0) };
}
