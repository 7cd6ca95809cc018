/**
 * One page: its variants, the chosen variant's placements and inspector, preview, changes and
 * history. Edits stay in a local working copy until saved; the server validates as you type.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiFailure, type DashboardApi } from "../api.ts";
import { diffLayouts, type Change } from "../diff.ts";
import { absoluteTime, relativeTime } from "../format.ts";
import { addPlacement, movePlacement, removePlacement, sameLayout, updatePlacement, updateVariant } from "../layout-edit.ts";
import { problemsUnder } from "../problems.ts";
import type { PageLayout, PageState, Placement, Problem, Session, WidgetInfo } from "../types.ts";
import { keepWorkingCopy, keptWorkingCopy } from "../working-copy.ts";
import { ChangesView } from "./changes-view.tsx";
import { ConflictBanner } from "./conflict-banner.tsx";
import { HistoryView } from "./history-view.tsx";
import { PlacementInspector } from "./placement-inspector.tsx";
import { PlacementList } from "./placement-list.tsx";
import { PreviewView } from "./preview-view.tsx";
import { ProblemList } from "./problem-list.tsx";
import { PublishDialog } from "./publish-dialog.tsx";
import { VariantInspector } from "./variant-inspector.tsx";
import { VariantList } from "./variant-list.tsx";
import { WidgetPicker } from "./widget-picker.tsx";

interface Props {
  api: DashboardApi;
  pageId: string;
  variantId?: string;
  onVariant: (variantId: string) => void;
  widgets: WidgetInfo[];
  editable: boolean;
  session: Session;
  onPagesChanged: () => void;
}

type View = "edit" | "preview" | "changes" | "history";

export interface Conflict {
  message: string;
  latest: PageState;
  /** What others changed since this edit's base. */
  theirs: Change[];
  publishedMoved: boolean;
}

interface Toast {
  kind: "ok" | "error";
  text: string;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function PageEditor({ api, pageId, variantId, onVariant, widgets, editable, session, onPagesChanged }: Props) {
  const [server, setServer] = useState<PageState>();
  const [working, setWorking] = useState<PageLayout>();
  const [undoStack, setUndoStack] = useState<PageLayout[]>([]);
  const [selected, setSelected] = useState<number | undefined>();
  const [view, setView] = useState<View>("edit");
  const [side, setSide] = useState<"placement" | "add" | "variant">("placement");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState("");
  const [toast, setToast] = useState<Toast>();
  const [conflict, setConflict] = useState<Conflict>();
  const [publishOpen, setPublishOpen] = useState(false);
  const [loadError, setLoadError] = useState("");
  const [historyKey, setHistoryKey] = useState(0);
  const validation = useRef(0);

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

  const unsavedNow = !!server && !!working && !sameLayout(working, server.draft);
  // Unsaved edits survive a reload of the tab, and leaving the page asks first.
  useEffect(() => {
    if (!server || !editable) return;
    keepWorkingCopy(pageId, server.draftRevision, unsavedNow ? working : undefined);
    if (!unsavedNow) return;
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

  if (loadError && !server) return <main class="editor-empty notice error">Could not load “{pageId}”: {loadError}</main>;
  if (!server || !working) return <main class="editor-empty muted">Loading {pageId}…</main>;

  const variantIndex = Math.max(0, working.variants.findIndex((variant) => variant.id === variantId));
  const variant = working.variants[variantIndex];
  const variantPath = ["variants", variantIndex];
  const unsaved = !sameLayout(working, server.draft);
  const changes = diffLayouts(server.published?.layout, working);
  const widgetOf = (type: string) => widgets.find((widget) => widget.type === type);

  const edit = (next: PageLayout) => {
    setUndoStack((stack) => [...stack.slice(-49), working]);
    setWorking(next);
  };
  const undo = () => {
    const previous = undoStack[undoStack.length - 1];
    if (!previous) return;
    setUndoStack(undoStack.slice(0, -1));
    setWorking(previous);
  };

  /** `base`: the draft this edit started from, to tell what the others changed since. */
  const onConflict = async (error: ApiFailure, base: PageLayout) => {
    const latest = await api.getPage(pageId).catch(() => undefined);
    if (!latest) return setToast({ kind: "error", text: error.message });
    setConflict({
      message: error.message,
      latest,
      theirs: diffLayouts(base, latest.draft),
      publishedMoved: (latest.published?.version ?? 0) !== (server.published?.version ?? 0),
    });
  };

  const failed = async (what: string, error: unknown, base: PageLayout = server.draft) => {
    if (error instanceof ApiFailure && error.kind === "conflict") return onConflict(error, base);
    if (error instanceof ApiFailure && error.kind === "invalid" && error.problems.length) {
      setProblems(error.problems);
      setView("edit");
      return setToast({ kind: "error", text: `${what}: the layout has ${error.problems.length} problem${error.problems.length === 1 ? "" : "s"}, shown at their fields.` });
    }
    setToast({ kind: "error", text: `${what}: ${message(error)}` });
  };

  /** Saves the working copy; the revision saved, or undefined when refused. */
  const save = async (): Promise<number | undefined> => {
    setBusy("Saving…");
    const sent = working;
    try {
      const saved = await api.saveDraft(pageId, sent, server.draftRevision);
      setServer({ ...server, draft: sent, draftRevision: saved.revision, draftAuthor: saved.author, draftSavedAt: saved.savedAt });
      setToast({ kind: "ok", text: `Draft saved (revision ${saved.revision}).` });
      onPagesChanged();
      return saved.revision;
    } catch (error) {
      await failed("Not saved", error);
      return undefined;
    } finally {
      setBusy("");
    }
  };

  const publish = async (note: string) => {
    const saving = unsaved || server.draftRevision === 0;
    const revision = saving ? await save() : server.draftRevision;
    if (revision === undefined) return setPublishOpen(false);
    const base = saving ? working : server.draft;
    setBusy("Publishing…");
    try {
      const published = await api.publish(pageId, note, revision, server.published?.version ?? 0);
      setPublishOpen(false);
      await load(false);
      setHistoryKey((key) => key + 1);
      setToast({ kind: "ok", text: `Published version ${published.version}. Apps get it within a second.` });
      onPagesChanged();
    } catch (error) {
      setPublishOpen(false);
      await failed("Not published", error, base);
    } finally {
      setBusy("");
    }
  };

  const rollback = async (toVersion: number, note: string) => {
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
      setHistoryKey((key) => key + 1);
      setToast({ kind: "ok", text: `Version ${toVersion} is live again as version ${published.version}.` });
      onPagesChanged();
    } catch (error) {
      await failed("Not rolled back", error);
    } finally {
      setBusy("");
    }
  };

  const onShortcut = (event: KeyboardEvent) => {
    if (!editable || !(event.ctrlKey || event.metaKey)) return;
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
    if (event.key === "s") {
      event.preventDefault();
      if (unsaved && !busy) save();
    } else if (event.key === "z" && !event.shiftKey && !typing) {
      event.preventDefault();
      undo();
    }
  };

  const placementProblems = (index: number) => problemsUnder(problems, [...variantPath, "placements", index]);
  const selectedPlacement: Placement | undefined = selected === undefined ? undefined : variant?.placements[selected];

  return (
    <div class="editor" onKeyDown={onShortcut}>
      <VariantList
        layout={working}
        published={server.published?.layout}
        selected={variant?.id}
        problems={problems}
        onSelect={(id) => {
          setSelected(undefined);
          onVariant(id);
        }}
      />
      <main class="editor-main">
        <div class="editor-head">
          <div class="editor-title">
            <h1>
              {pageId}
              <span class="title-sep">/</span>
              <span class="title-variant">{variant?.id}</span>
            </h1>
            <p class="status-line">
              {server.published ? (
                <span title={absoluteTime(server.published.time)}>
                  <span class="pill pill-ok">Live v{server.published.version}</span> by {server.published.author} ·{" "}
                  {relativeTime(server.published.time)}
                  {server.published.message && <span class="muted"> — “{server.published.message}”</span>}
                </span>
              ) : (
                <span class="pill">Never published</span>
              )}
              <span class="status-draft" data-testid="draft-status">
                {unsaved ? (
                  <span class="pill pill-warn">Unsaved edits</span>
                ) : changes.length ? (
                  <span class="pill pill-info">Draft r{server.draftRevision} · not published</span>
                ) : (
                  <span class="muted">Draft matches live</span>
                )}
              </span>
            </p>
          </div>
          {editable && (
            <div class="actions">
              {unsaved && (
                <button
                  class="button ghost"
                  type="button"
                  disabled={!!busy}
                  title="Back to the saved draft"
                  onClick={() => {
                    if (confirm("Discard every unsaved edit of this page?")) {
                      setUndoStack([...undoStack.slice(-49), working]);
                      setWorking(server.draft);
                    }
                  }}
                >
                  Discard edits
                </button>
              )}
              <button class="button ghost" type="button" disabled={undoStack.length === 0 || !!busy} onClick={undo} title="Undo the last edit (Ctrl+Z)">
                Undo
              </button>
              <button class="button" type="button" disabled={!unsaved || !!busy} onClick={save} title="Save the draft (Ctrl+S)">
                Save draft
              </button>
              <button
                class="button primary"
                type="button"
                disabled={changes.length === 0 || problems.length > 0 || !!busy}
                title={problems.length ? "Fix the problems first" : changes.length === 0 ? "Nothing to publish" : undefined}
                onClick={() => setPublishOpen(true)}
              >
                Publish…
              </button>
            </div>
          )}
        </div>

        {!editable && (
          <p class="notice info">Read-only: your token has the viewer role. You can browse, preview and read the history; an operator token is needed to change a page.</p>
        )}
        {conflict && (
          <ConflictBanner
            conflict={conflict}
            onKeep={() => {
              setServer(conflict.latest);
              setConflict(undefined);
              setToast({ kind: "ok", text: "Reloaded. Your edit is kept on top of the latest version; review it and save again." });
            }}
            onDiscard={() => {
              setServer(conflict.latest);
              setWorking(conflict.latest.draft);
              setUndoStack([]);
              setConflict(undefined);
            }}
          />
        )}
        {problems.length > 0 && <ProblemList problems={problems} layout={working} onGo={(variant, placement) => {
          onVariant(variant);
          setView("edit");
          setSide("placement");
          setSelected(placement);
        }} />}

        <nav class="tabs" role="tablist" aria-label="Views">
          {(["edit", "preview", "changes", "history"] as const).map((name) => (
            <button
              key={name}
              role="tab"
              type="button"
              class="tab"
              aria-selected={view === name}
              onClick={() => setView(name)}
            >
              {name === "edit" ? (editable ? "Edit" : "Placements") : name === "preview" ? "Preview" : name === "changes" ? "Changes" : "History"}
              {name === "changes" && changes.length > 0 && <span class="count">{changes.length}</span>}
            </button>
          ))}
        </nav>

        {view === "edit" && variant && (
          <div class="edit-grid">
            <PlacementList
              variant={variant}
              problems={problemsUnder(problems, variantPath)}
              selected={selected}
              editable={editable}
              onSelect={(index) => {
                setSelected(index);
                setSide("placement");
              }}
              onMove={(from, to) => {
                edit(movePlacement(working, variant.id, from, to));
                if (selected === from) setSelected(to);
                else if (selected !== undefined && from < selected && to >= selected) setSelected(selected - 1);
                else if (selected !== undefined && from > selected && to <= selected) setSelected(selected + 1);
              }}
              onRemove={(index) => {
                edit(removePlacement(working, variant.id, index));
                setSelected(undefined);
                setToast({ kind: "ok", text: `Removed ${variant.placements[index]!.instanceId}. Undo brings it back.` });
              }}
              onAdd={() => setSide("add")}
            />
            <aside class="inspector" aria-label="Inspector">
              {editable && (
                <div class="segmented" role="tablist" aria-label="Inspector">
                  <button type="button" role="tab" aria-selected={side === "placement"} onClick={() => setSide("placement")}>
                    Placement
                  </button>
                  <button type="button" role="tab" aria-selected={side === "add"} onClick={() => setSide("add")}>
                    Add widget
                  </button>
                  <button type="button" role="tab" aria-selected={side === "variant"} onClick={() => setSide("variant")}>
                    Variant
                  </button>
                </div>
              )}
              {side === "variant" ? (
                <VariantInspector
                  key={variant.id}
                  variant={variant}
                  problems={problemsUnder(problems, variantPath)}
                  editable={editable}
                  onChange={(change) => edit(updateVariant(working, variant.id, change))}
                />
              ) : side === "add" && editable ? (
                <WidgetPicker
                  widgets={widgets}
                  onAdd={(widget) => {
                    const at = selected === undefined ? undefined : selected + 1;
                    const added = addPlacement(working, variant.id, widget, at);
                    edit(added.layout);
                    setSelected(added.index);
                    setSide("placement");
                  }}
                />
              ) : selectedPlacement && selected !== undefined ? (
                <PlacementInspector
                  key={`${variant.id}:${selected}`}
                  placement={selectedPlacement}
                  position={selected}
                  count={variant.placements.length}
                  widget={widgetOf(selectedPlacement.type)}
                  problems={placementProblems(selected)}
                  editable={editable}
                  onChange={(change) => edit(updatePlacement(working, variant.id, selected, change))}
                />
              ) : (
                <div class="inspector-empty muted">
                  <p>Select a placement to see and edit its settings.</p>
                  {editable && <p>Drag rows by their handle to reorder them, or focus a handle and use Space and the arrow keys.</p>}
                  <p>
                    <button type="button" class="link" onClick={() => setSide("variant")}>
                      {editable ? "Edit" : "See"} who gets this variant
                    </button>{" "}
                    (match rules and schedule).
                  </p>
                </div>
              )}
            </aside>
          </div>
        )}
        {view === "preview" && <PreviewView api={api} pageId={pageId} layout={working} unsaved={unsaved} session={session} />}
        {view === "changes" && (
          <ChangesView changes={changes} publishedVersion={server.published?.version} unsaved={unsaved} />
        )}
        {view === "history" && (
          <HistoryView
            key={historyKey}
            api={api}
            pageId={pageId}
            current={server.published?.version}
            draftDiffers={changes.length > 0}
            editable={editable && !busy}
            onRollback={rollback}
          />
        )}
      </main>
      {publishOpen && (
        <PublishDialog
          pageId={pageId}
          changes={changes}
          busy={!!busy}
          unsaved={unsaved}
          onCancel={() => setPublishOpen(false)}
          onPublish={publish}
        />
      )}
      <div class={`toast ${toast ? `toast-${toast.kind} shown` : ""}`} role="status" aria-live="polite">
        {busy || toast?.text}
      </div>
    </div>
  );
}
