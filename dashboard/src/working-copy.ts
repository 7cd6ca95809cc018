/** Unsaved edits kept for the browser tab, so that a reload or a slip of the mouse loses nothing. */
import type { PageLayout } from "./types.ts";

interface Kept {
  /** The draft revision the edit started from. */
  baseRevision: number;
  layout: PageLayout;
}

const key = (pageId: string) => `tessera.dashboard.working.${pageId}`;

export function keepWorkingCopy(pageId: string, baseRevision: number, layout: PageLayout | undefined): void {
  try {
    if (layout) sessionStorage.setItem(key(pageId), JSON.stringify({ baseRevision, layout } satisfies Kept));
    else sessionStorage.removeItem(key(pageId));
  } catch {
    // Storage full or disabled: the edit still lives in the page.
  }
}

export function keptWorkingCopy(pageId: string): Kept | undefined {
  try {
    const text = sessionStorage.getItem(key(pageId));
    const kept = text ? (JSON.parse(text) as Kept) : undefined;
    return kept && typeof kept.baseRevision === "number" && kept.layout?.pageId === pageId ? kept : undefined;
  } catch {
    return undefined;
  }
}
