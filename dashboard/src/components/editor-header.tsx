/** The page's title, what is live and where the draft stands, and the editing actions. */
import { absoluteTime, relativeTime } from "../format.ts";
import type { PageState } from "../types.ts";

interface Props {
  pageId: string;
  variantId?: string;
  server: PageState;
  unsaved: boolean;
  /** How many changes the draft makes against what is live. */
  changeCount: number;
  problemCount: number;
  editable: boolean;
  busy: boolean;
  canUndo: boolean;
  onDiscard: () => void;
  onUndo: () => void;
  onSave: () => void;
  onPublish: () => void;
}

export function EditorHeader(props: Props) {
  const { pageId, variantId, server, unsaved, changeCount, problemCount, editable, busy, canUndo } = props;
  const live = server.published;
  return (
    <div class="editor-head">
      <div class="editor-title">
        <h1>
          {pageId}
          <span class="title-sep">/</span>
          <span class="title-variant">{variantId}</span>
        </h1>
        <p class="status-line">
          {live ? (
            <span title={absoluteTime(live.time)}>
              <span class="pill pill-ok">Live v{live.version}</span> by {live.author} · {relativeTime(live.time)}
              {live.message && <span class="muted"> — “{live.message}”</span>}
            </span>
          ) : (
            <span class="pill">Never published</span>
          )}
          <span class="status-draft" data-testid="draft-status">
            {unsaved ? (
              <span class="pill pill-warn">Unsaved edits</span>
            ) : changeCount ? (
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
              disabled={busy}
              title="Back to the saved draft"
              onClick={() => confirm("Discard every unsaved edit of this page? Undo brings them back.") && props.onDiscard()}
            >
              Discard edits
            </button>
          )}
          <button class="button ghost" type="button" disabled={!canUndo || busy} onClick={props.onUndo} title="Undo the last edit (Ctrl+Z)">
            Undo
          </button>
          <button class="button" type="button" disabled={!unsaved || busy} onClick={props.onSave} title="Save the draft (Ctrl+S)">
            Save draft
          </button>
          <button
            class="button primary"
            type="button"
            disabled={changeCount === 0 || problemCount > 0 || busy}
            title={problemCount ? "Fix the problems first" : changeCount === 0 ? "Nothing to publish" : undefined}
            onClick={props.onPublish}
          >
            Publish…
          </button>
        </div>
      )}
    </div>
  );
}
