/**
 * One page's editing state: what the server has, the local working copy with its undo stack, the
 * server's problems with it, and the writes (save, publish, roll back) with their conflicts.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailure, type DashboardApi } from "./api.ts";
import { diffLayouts, type Change } from "./diff.ts";
import { sameLayout } from "./layout-edit.ts";
import { mergeLayouts } from "./merge.ts";
import type { PageLayout, PageState, Problem } from "./types.ts";
import { keepWorkingCopy, keptWorkingCopy } from "./working-copy.ts";

export interface Conflict {
  message: string;
  /** The draft the refused edit started from. */
  base: PageLayout;
  latest: PageState;
  /** What others changed since this edit's base. */
  theirs: Change[];
  publishedMoved: boolean;
}

export interface Toast {
  kind: "ok" | "error";
  text: string;
}

interface Options {
  api: DashboardApi;
  pageId: string;
  editable: boolean;
  /** After any write: the list of pages may have changed. */
  onWritten: () => void;
  /** A write was refused for problems, now shown at their fields. */
  onProblems: () => void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const UNDO_DEPTH = 50;

export function usePageDraft({ api, pageId, editable, onWritten, onProblems }: Options) {
  const [server, setServer] = useState<PageState>();
  const [working, setWorking] = useState<PageLayout>();
  const [undoStack, setUndoStack] = useState<PageLayout[]>([]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState("");
  const [toast, setToast] = useState<Toast>();
  const [conflict, setConflict] = useState<Conflict>();
  const [loadError, setLoadError] = useState("");
  /** Grows on every publish or rollback, for views that show published versions. */
  const [publishes, setPublishes] = useState(0);
  const validation = useRef(0);

  const unsaved = !!server && !!working && !sameLayout(working, server.draft);

  const load = async (keepWorking: boolean, restore = false) => {
    try {
      const state = await api.getPage(pageId);
      setServer(state);
      const kept = restore && editable ? keptWorkingCopy(pageId) : undefined;
      if (kept && !sameLayout(kept.layout, state.draft)) {
        setWorking(kept.layout);
        setUndoStack([state.draft]);
        setToast({
          kind: "ok",
          text:
            kept.baseRevision === state.draftRevision
              ? "Your unsaved edits are back."
              : `Your unsaved edits are back, on top of draft revision ${state.draftRevision} saved since: check Changes before saving.`,
        });
      } else if (!keepWorking) {
        setWorking(state.draft);
        setUndoStack([]);
      }
      setLoadError("");
      return state;
    } catch (error) {
      setLoadError(message(error));
      return undefined;
    }
  };

  useEffect(() => {
    load(false, true);
  }, [pageId]);

  // Unsaved edits survive a reload of the tab, and leaving the page asks first.
  useEffect(() => {
    if (!server || !editable) return;
    keepWorkingCopy(pageId, server.draftRevision, unsaved ? working : undefined);
    if (!unsaved) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    addEventListener("beforeunload", warn);
    return () => removeEventListener("beforeunload", warn);
  }, [working, server, editable]);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(undefined), toast.kind === "ok" ? 4000 : 8000);
    return () => clearTimeout(timer);
  }, [toast]);

  // The server's validation, a moment after each edit; an older answer never overwrites a newer one.
  useEffect(() => {
    if (!working || !editable) return;
    const run = ++validation.current;
    const timer = setTimeout(() => {
      api.validate(pageId, working).then(
        (found) => run === validation.current && setProblems(found),
        () => {},
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [working, editable]);

  const edit = (next: PageLayout) => {
    if (!working) return;
    setUndoStack((stack) => [...stack.slice(1 - UNDO_DEPTH), working]);
    setWorking(next);
  };

  const undo = () => {
    const previous = undoStack[undoStack.length - 1];
    if (!previous) return;
    setUndoStack(undoStack.slice(0, -1));
    setWorking(previous);
  };

  /** Back to the saved draft; undo brings the edits back. */
  const discard = () => server && edit(server.draft);

  /** `base`: the draft this edit started from, to tell what the others changed since. */
  const onConflict = async (error: ApiFailure, base: PageLayout) => {
    const latest = await api.getPage(pageId).catch(() => undefined);
    if (!latest) return setToast({ kind: "error", text: error.message });
    setConflict({
      message: error.message,
      base,
      latest,
      theirs: diffLayouts(base, latest.draft),
      publishedMoved: (latest.published?.version ?? 0) !== (server?.published?.version ?? 0),
    });
  };

  const failed = async (what: string, error: unknown, base: PageLayout) => {
    if (error instanceof ApiFailure && error.kind === "conflict") return onConflict(error, base);
    if (error instanceof ApiFailure && error.kind === "invalid" && error.problems.length) {
      setProblems(error.problems);
      onProblems();
      return setToast({
        kind: "error",
        text: `${what}: the layout has ${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}, shown at their fields.`,
      });
    }
    setToast({ kind: "error", text: `${what}: ${message(error)}` });
  };

  /** Saves the working copy; the revision saved, or undefined when refused. */
  const save = async (): Promise<number | undefined> => {
    if (!server || !working) return undefined;
    setBusy("Saving…");
    const sent = working;
    try {
      const saved = await api.saveDraft(pageId, sent, server.draftRevision);
      setServer({ ...server, draft: sent, draftRevision: saved.revision, draftAuthor: saved.author, draftSavedAt: saved.savedAt });
      setToast({ kind: "ok", text: `Draft saved (revision ${saved.revision}).` });
      onWritten();
      return saved.revision;
    } catch (error) {
      await failed("Not saved", error, server.draft);
      return undefined;
    } finally {
      setBusy("");
    }
  };

  /** Saves what is unsaved, then publishes the draft; true when published. */
  const publish = async (note: string): Promise<boolean> => {
    if (!server || !working) return false;
    const saving = unsaved || server.draftRevision === 0;
    const revision = saving ? await save() : server.draftRevision;
    if (revision === undefined) return false;
    const base = saving ? working : server.draft;
    setBusy("Publishing…");
    try {
      const published = await api.publish(pageId, note, revision, server.published?.version ?? 0);
      await load(false);
      setPublishes((count) => count + 1);
      setToast({ kind: "ok", text: `Published version ${published.version}. Apps get it within a second.` });
      onWritten();
      return true;
    } catch (error) {
      await failed("Not published", error, base);
      return false;
    } finally {
      setBusy("");
    }
  };

  const rollback = async (toVersion: number, note: string) => {
    if (!server) return;
    setBusy("Rolling back…");
    try {
      const published = await api.rollback(pageId, toVersion, server.published?.version ?? 0, note);
      const latest = await api.getPage(pageId);
      // A saved draft that was what had been live follows the rollback, so that the next publish
      // does not bring back what was just rolled back. A draft with other changes is left alone.
      if (!unsaved && latest.draftRevision > 0 && server.published && sameLayout(latest.draft, server.published.layout)) {
        await api.saveDraft(pageId, published.layout, latest.draftRevision);
      }
      await load(unsaved);
      setPublishes((count) => count + 1);
      setToast({ kind: "ok", text: `Version ${toVersion} is live again as version ${published.version}.` });
      onWritten();
    } catch (error) {
      await failed("Not rolled back", error, server.draft);
    } finally {
      setBusy("");
    }
  };

  const notify = (text: string) => setToast({ kind: "ok", text });

  /** After a conflict: their version becomes the base, and the edit is applied on top of it. */
  const keepEditOnLatest = () => {
    if (!conflict || !working) return;
    setServer(conflict.latest);
    edit(mergeLayouts(conflict.base, working, conflict.latest.draft));
    setConflict(undefined);
    setToast({
      kind: "ok",
      text: "Reloaded: their changes are in, with your edit on top (yours wins where you both changed a setting). Review it and save.",
    });
  };

  /** After a conflict: their version, without the edit. */
  const takeLatest = () => {
    if (!conflict) return;
    setServer(conflict.latest);
    setWorking(conflict.latest.draft);
    setUndoStack([]);
    setConflict(undefined);
  };

  return {
    server,
    working,
    unsaved,
    canUndo: undoStack.length > 0,
    problems,
    busy,
    toast,
    conflict,
    loadError,
    publishes,
    edit,
    undo,
    discard,
    save,
    publish,
    rollback,
    keepEditOnLatest,
    takeLatest,
    notify,
  };
}
