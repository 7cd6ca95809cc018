/**
 * One page: its variants, the chosen variant's placements and inspector, preview, changes and
 * history. Edits stay in a local working copy until saved; the server validates as you type.
 */
import { useState } from "preact/hooks";
import type { DashboardApi } from "../api.ts";
import { diffLayouts } from "../diff.ts";
import { addPlacement, movePlacement, removePlacement, updatePlacement, updateVariant } from "../layout-edit.ts";
import { problemsUnder } from "../problems.ts";
import type { Placement, WidgetInfo } from "../types.ts";
import { usePageDraft } from "../use-page-draft.ts";
import { ChangesView } from "./changes-view.tsx";
import { ConflictBanner } from "./conflict-banner.tsx";
import { EditorHeader } from "./editor-header.tsx";
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
  onPagesChanged: () => void;
}

type View = "edit" | "preview" | "changes" | "history";

export function PageEditor({ api, pageId, variantId, onVariant, widgets, editable, onPagesChanged }: Props) {
  const [selected, setSelected] = useState<number | undefined>();
  const [view, setView] = useState<View>("edit");
  const [side, setSide] = useState<"placement" | "add" | "variant">("placement");
  const [publishOpen, setPublishOpen] = useState(false);
  const draft = usePageDraft({ api, pageId, editable, onWritten: onPagesChanged, onProblems: () => setView("edit") });
  const { server, working, unsaved, problems, busy, toast, conflict, edit } = draft;

  if (draft.loadError && !server)
    return (
      <main class="editor-empty notice error">
        Could not load “{pageId}”: {draft.loadError}
      </main>
    );
  if (!server || !working) return <main class="editor-empty muted">Loading {pageId}…</main>;

  const variantIndex = Math.max(
    0,
    working.variants.findIndex((variant) => variant.id === variantId),
  );
  const variant = working.variants[variantIndex];
  const variantPath = ["variants", variantIndex];
  const changes = diffLayouts(server.published?.layout, working);
  const widgetOf = (type: string) => widgets.find((widget) => widget.type === type);

  const onShortcut = (event: KeyboardEvent) => {
    if (!editable || !(event.ctrlKey || event.metaKey)) return;
    const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
    if (event.key === "s") {
      event.preventDefault();
      if (unsaved && !busy) draft.save();
    } else if (event.key === "z" && !event.shiftKey && !typing) {
      event.preventDefault();
      draft.undo();
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
        <EditorHeader
          pageId={pageId}
          variantId={variant?.id}
          server={server}
          unsaved={unsaved}
          changeCount={changes.length}
          problemCount={problems.length}
          editable={editable}
          busy={!!busy}
          canUndo={draft.canUndo}
          onDiscard={draft.discard}
          onUndo={draft.undo}
          onSave={draft.save}
          onPublish={() => setPublishOpen(true)}
        />

        {!editable && (
          <p class="notice info">
            Read-only: your token has the viewer role. You can browse, preview (anonymously) and read the history; an operator token is
            needed to change a page or to preview as a named user.
          </p>
        )}
        {conflict && <ConflictBanner conflict={conflict} onKeep={draft.keepEditOnLatest} onDiscard={draft.takeLatest} />}
        {problems.length > 0 && (
          <ProblemList
            problems={problems}
            layout={working}
            onGo={(variant, placement) => {
              onVariant(variant);
              setView("edit");
              setSide("placement");
              setSelected(placement);
            }}
          />
        )}

        <nav class="tabs" role="tablist" aria-label="Views">
          {(["edit", "preview", "changes", "history"] as const).map((name) => (
            <button key={name} role="tab" type="button" class="tab" aria-selected={view === name} onClick={() => setView(name)}>
              {name === "edit"
                ? editable
                  ? "Edit"
                  : "Placements"
                : name === "preview"
                  ? "Preview"
                  : name === "changes"
                    ? "Changes"
                    : "History"}
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
                draft.notify(`Removed ${variant.placements[index]!.instanceId}. Undo brings it back.`);
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
        {view === "preview" && <PreviewView api={api} pageId={pageId} layout={working} unsaved={unsaved} asNamedUser={editable} />}
        {view === "changes" && (
          <ChangesView
            changes={changes}
            live={server.published?.layout}
            draft={working}
            publishedVersion={server.published?.version}
            unsaved={unsaved}
          />
        )}
        {view === "history" && (
          <HistoryView
            key={draft.publishes}
            api={api}
            pageId={pageId}
            current={server.published?.version}
            draftDiffers={changes.length > 0}
            editable={editable && !busy}
            onRollback={draft.rollback}
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
          onPublish={async (note) => {
            await draft.publish(note);
            setPublishOpen(false);
          }}
        />
      )}
      <div class={`toast ${toast ? `toast-${toast.kind} shown` : ""}`} role="status" aria-live="polite">
        {busy || toast?.text}
      </div>
    </div>
  );
}
