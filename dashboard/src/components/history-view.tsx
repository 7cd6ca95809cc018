/** Published versions, newest first, with author, time and message; rollback republishes one. */
import { useEffect, useState } from "preact/hooks";
import type { DashboardApi } from "../api.ts";
import { diffLayouts } from "../diff.ts";
import { absoluteTime, relativeTime } from "../format.ts";
import type { HistoryEntry } from "../types.ts";
import { ChangeList } from "./changes-view.tsx";
import { Dialog } from "./dialog.tsx";

interface Props {
  api: DashboardApi;
  pageId: string;
  current?: number;
  /** Whether the draft differs from what is live: a rollback leaves such a draft as it is. */
  draftDiffers: boolean;
  editable: boolean;
  onRollback: (version: number, message: string) => Promise<void>;
}

export function HistoryView({ api, pageId, current, draftDiffers, editable, onRollback }: Props) {
  const [versions, setVersions] = useState<HistoryEntry[]>();
  const [error, setError] = useState("");
  const [open, setOpen] = useState<number>();
  const [target, setTarget] = useState<HistoryEntry>();
  const [note, setNote] = useState("");

  useEffect(() => {
    api.history(pageId).then(setVersions, (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, [pageId, current]);

  if (error) return <p class="notice error">{error}</p>;
  if (!versions) return <p class="muted">Loading history…</p>;
  const live = versions.find((version) => version.version === current);

  return (
    <section class="history" aria-label="History">
      <table class="table history-table">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">By</th>
            <th scope="col">Message</th>
            <th scope="col" class="actions-col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((version, index) => {
            const previous = versions[index + 1];
            const expanded = open === version.version;
            return (
              <>
                <tr key={version.version} data-version={version.version} class={version.version === current ? "current" : undefined}>
                  <td>
                    <strong>v{version.version}</strong> {version.version === current && <span class="pill pill-ok">live</span>}
                  </td>
                  <td title={absoluteTime(version.time)}>
                    {relativeTime(version.time)} <span class="muted small">{absoluteTime(version.time)}</span>
                  </td>
                  <td>{version.author}</td>
                  <td class="message-cell">
                    {version.message || <span class="muted">no message</span>}
                    {version.rolledBackFrom !== undefined && <span class="tag">rollback to v{version.rolledBackFrom}</span>}
                  </td>
                  <td class="actions-col">
                    <button
                      type="button"
                      class="button ghost small"
                      aria-expanded={expanded}
                      onClick={() => setOpen(expanded ? undefined : version.version)}
                    >
                      {expanded ? "Hide" : "Changes"}
                    </button>
                    {editable && version.version !== current && (
                      <button
                        type="button"
                        class="button small"
                        onClick={() => {
                          setTarget(version);
                          setNote(`Roll back to v${version.version}`);
                        }}
                      >
                        Roll back to v{version.version}
                      </button>
                    )}
                  </td>
                </tr>
                {expanded && (
                  <tr class="expanded" key={`${version.version}-changes`}>
                    <td colSpan={5}>
                      <p class="muted small">{previous ? `Against v${previous.version}:` : "The first version."}</p>
                      {previous && <ChangeList changes={diffLayouts(previous.layout, version.layout)} />}
                    </td>
                  </tr>
                )}
              </>
            );
          })}
        </tbody>
      </table>
      {versions.length === 0 && <p class="muted">Never published.</p>}
      {target && (
        <Dialog title={`Roll back ${pageId} to v${target.version}?`} onClose={() => setTarget(undefined)}>
          <p>
            Publishes the layout of v{target.version} ({target.author}, {absoluteTime(target.time)}) as a new version. Apps get it within a
            second.
          </p>
          {draftDiffers && (
            <p class="notice warn small">The draft has changes that are not live; they stay in the draft, to publish or discard later.</p>
          )}
          {live && (
            <details open>
              <summary>What changes against live v{live.version}</summary>
              <ChangeList changes={diffLayouts(live.layout, target.layout)} />
            </details>
          )}
          <label class="field">
            <span class="field-label">Message</span>
            <input type="text" name="rollback-message" value={note} onInput={(event) => setNote(event.currentTarget.value)} />
          </label>
          <div class="dialog-actions">
            <button type="button" class="button ghost" onClick={() => setTarget(undefined)}>
              Cancel
            </button>
            <button
              type="button"
              class="button danger"
              disabled={note.trim() === ""}
              onClick={async () => {
                const version = target.version;
                setTarget(undefined);
                await onRollback(version, note.trim());
              }}
            >
              Roll back
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
