/** Publishing: what will go live, and a message for the history. */
import { useState } from "preact/hooks";
import type { Change } from "../diff.ts";
import { ChangeList } from "./changes-view.tsx";
import { Dialog } from "./dialog.tsx";

interface Props {
  pageId: string;
  changes: Change[];
  busy: boolean;
  unsaved: boolean;
  onCancel: () => void;
  onPublish: (message: string) => void;
}

export function PublishDialog({ pageId, changes, busy, unsaved, onCancel, onPublish }: Props) {
  const [message, setMessage] = useState("");
  return (
    <Dialog title={`Publish ${pageId}`} onClose={onCancel}>
      <p class="muted">
        {changes.length} change{changes.length === 1 ? "" : "s"} go live for every app within a second
        {unsaved ? "; your unsaved edits are saved first" : ""}.
      </p>
      <div class="dialog-scroll">
        <ChangeList changes={changes} />
      </div>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (message.trim()) onPublish(message.trim());
        }}
      >
        <label class="field">
          <span class="field-label">Message</span>
          <input
            type="text"
            name="publish-message"
            placeholder="What and why, e.g. “Kids: cartoons first for the holidays”"
            value={message}
            onInput={(event) => setMessage(event.currentTarget.value)}
            autoFocus
          />
        </label>
        <div class="dialog-actions">
          <button type="button" class="button ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class="button primary" disabled={busy || message.trim() === ""}>
            {busy ? "Publishing…" : "Publish"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
