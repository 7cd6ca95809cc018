/** Someone else wrote the page since this edit began (409): what they changed, and how to go on. */
import { absoluteTime } from "../format.ts";
import { ChangeList } from "./changes-view.tsx";
import type { Conflict } from "../use-page-draft.ts";

interface Props {
  conflict: Conflict;
  onKeep: () => void;
  onDiscard: () => void;
}

export function ConflictBanner({ conflict, onKeep, onDiscard }: Props) {
  const { latest, theirs, publishedMoved } = conflict;
  return (
    <section class="notice warn conflict" role="alert" aria-label="Conflict">
      <strong>This page changed while you were editing it.</strong>
      <p class="small">
        {latest.draftAuthor && latest.draftRevision > 0 && (
          <>
            Draft revision {latest.draftRevision} was saved by {latest.draftAuthor} {absoluteTime(latest.draftSavedAt)}.{" "}
          </>
        )}
        {publishedMoved && latest.published && (
          <>
            Version {latest.published.version} was published by {latest.published.author} {absoluteTime(latest.published.time)}
            {latest.published.message && ` — “${latest.published.message}”`}.{" "}
          </>
        )}
        Nothing of yours was saved yet. Reloading applies your edit on top of theirs; where you both changed the same setting, yours wins.{" "}
        <span class="muted">({conflict.message})</span>
      </p>
      {theirs.length > 0 ? (
        <details open>
          <summary>What they changed</summary>
          <ChangeList changes={theirs} />
        </details>
      ) : (
        <p class="small muted">Their draft has the same content as the one you started from.</p>
      )}
      <div class="banner-actions">
        <button type="button" class="button primary" onClick={onKeep}>
          Reload, keep my edit
        </button>
        <button type="button" class="button ghost" onClick={onDiscard}>
          Discard my edit and load theirs
        </button>
      </div>
    </section>
  );
}
