/**
 * A variant's placements in page order. Reorder by dragging a row, or from the keyboard: focus a
 * row's handle, Space to pick it up, ↑/↓ to move, Space to drop, Escape to put it back
 * (Alt+↑/↓ moves the focused row at once).
 */
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { describeSchedule, scheduleState, summarizeConfig } from "../format.ts";
import type { Problem, Variant } from "../types.ts";

interface Props {
  variant: Variant;
  /** Problems under the variant, paths relative to it. */
  problems: Problem[];
  selected?: number;
  editable: boolean;
  onSelect: (index: number) => void;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
  onAdd: () => void;
}

interface Grab {
  instanceId: string;
  origin: number;
}

export function PlacementList({ variant, problems, selected, editable, onSelect, onMove, onRemove, onAdd }: Props) {
  const [grab, setGrab] = useState<Grab>();
  const [dragFrom, setDragFrom] = useState<number>();
  const [dropAt, setDropAt] = useState<{ index: number; after: boolean }>();
  const [announcement, setAnnouncement] = useState("");
  const [focusId, setFocusId] = useState<string>();
  const list = useRef<HTMLOListElement>(null);
  const { placements } = variant;
  const count = placements.length;

  // A moved row is a moved DOM node, which loses focus: give it back.
  useLayoutEffect(() => {
    if (!focusId) return;
    list.current?.querySelector<HTMLElement>(`[data-handle="${CSS.escape(focusId)}"]`)?.focus();
    setFocusId(undefined);
  }, [placements, focusId]);

  const move = (from: number, to: number) => {
    if (to < 0 || to >= count || from === to) return;
    const id = placements[from]!.instanceId;
    onMove(from, to);
    setFocusId(id);
    setAnnouncement(`${id} moved to position ${to + 1} of ${count}.`);
  };

  const onHandleKey = (event: KeyboardEvent, index: number) => {
    const id = placements[index]!.instanceId;
    const grabbed = grab?.instanceId === id;
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      if (grabbed) {
        setGrab(undefined);
        setAnnouncement(`${id} dropped at position ${index + 1} of ${count}.`);
      } else {
        setGrab({ instanceId: id, origin: index });
        setAnnouncement(`${id} picked up at position ${index + 1} of ${count}. Arrow keys move it, Space drops it, Escape puts it back.`);
      }
    } else if ((event.key === "ArrowUp" || event.key === "ArrowDown") && (grabbed || event.altKey)) {
      event.preventDefault();
      move(index, event.key === "ArrowUp" ? index - 1 : index + 1);
    } else if (event.key === "Escape" && grabbed) {
      event.preventDefault();
      move(index, grab.origin);
      setGrab(undefined);
      setAnnouncement(`${id} put back at position ${grab.origin + 1}.`);
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    if (dragFrom !== undefined && dropAt) {
      let to = dropAt.after ? dropAt.index + 1 : dropAt.index;
      if (dragFrom < to) to -= 1;
      move(dragFrom, to);
    }
    setDragFrom(undefined);
    setDropAt(undefined);
  };

  return (
    <section class="placements" aria-label={`Placements of ${variant.id}`}>
      <div class="section-bar">
        <h2 class="section-title">
          Widgets <span class="muted">{count}</span>
        </h2>
        {editable && (
          <button type="button" class="button small" onClick={onAdd}>
            + Add widget
          </button>
        )}
      </div>
      {count === 0 && <p class="muted empty">This variant has no widgets yet.</p>}
      <ol class={`placement-list${dragFrom !== undefined ? " dragging" : ""}`} ref={list} onDrop={onDrop}>
        {placements.map((placement, index) => {
          const issues = problems.filter((problem) => problem.path[0] === "placements" && problem.path[1] === index);
          const schedule = scheduleState(placement.schedule);
          const classes = [
            "placement-row",
            index === selected && "selected",
            issues.length > 0 && "invalid",
            grab?.instanceId === placement.instanceId && "grabbed",
            dragFrom === index && "drag-source",
            dropAt?.index === index && (dropAt.after ? "drop-after" : "drop-before"),
          ].filter(Boolean);
          return (
            <li
              key={placement.instanceId}
              class={classes.join(" ")}
              data-instance={placement.instanceId}
              draggable={editable}
              onDragStart={(event) => {
                setDragFrom(index);
                event.dataTransfer?.setData("text/plain", placement.instanceId);
                if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
              }}
              onDragOver={(event) => {
                if (dragFrom === undefined) return;
                event.preventDefault();
                const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
                const after = event.clientY > box.top + box.height / 2;
                if (dropAt?.index !== index || dropAt.after !== after) setDropAt({ index, after });
              }}
              onDragEnd={() => {
                setDragFrom(undefined);
                setDropAt(undefined);
              }}
            >
              {editable ? (
                <button
                  type="button"
                  class="handle"
                  data-handle={placement.instanceId}
                  aria-label={`Reorder ${placement.instanceId}, position ${index + 1} of ${count}`}
                  aria-pressed={grab?.instanceId === placement.instanceId}
                  aria-describedby="reorder-help"
                  onKeyDown={(event) => onHandleKey(event, index)}
                  onBlur={() => grab?.instanceId === placement.instanceId && setGrab(undefined)}
                >
                  <svg viewBox="0 0 10 16" width="10" height="16" aria-hidden="true">
                    {[3, 8, 13].map((y) => [3, 7].map((x) => <circle key={`${x}${y}`} cx={x} cy={y} r="1.3" />))}
                  </svg>
                </button>
              ) : (
                <span class="handle-spacer" />
              )}
              <span class="position">{index + 1}</span>
              <button type="button" class="row-main" onClick={() => onSelect(index)} aria-pressed={index === selected}>
                <span class="row-title">
                  <span class="instance-id">{placement.instanceId}</span>
                  {placement.type !== placement.instanceId && <span class="type">{placement.type}</span>}
                </span>
                <span class="row-config">{summarizeConfig(placement.config) || <span class="muted">default config</span>}</span>
              </button>
              <span class="row-tags">
                {placement.templateVersion !== "newest" && <span class="tag">template {placement.templateVersion}</span>}
                {placement.essential && <span class="tag tag-essential">essential</span>}
                {schedule !== "none" && (
                  <span class={`tag tag-schedule schedule-${schedule}`} title={describeSchedule(placement.schedule)}>
                    {schedule}
                  </span>
                )}
                {issues.length > 0 && (
                  <span class="tag tag-error" title={issues.map((issue) => issue.message).join("\n")}>
                    {issues.length} problem{issues.length === 1 ? "" : "s"}
                  </span>
                )}
              </span>
              {editable && (
                <button
                  type="button"
                  class="icon-button remove"
                  aria-label={`Remove ${placement.instanceId}`}
                  title="Remove"
                  onClick={() => onRemove(index)}
                >
                  <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                    <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
                  </svg>
                </button>
              )}
            </li>
          );
        })}
      </ol>
      <p id="reorder-help" class="sr-only">
        Space picks the widget up, the arrow keys move it, Space drops it and Escape puts it back.
      </p>
      <p class="sr-only" aria-live="assertive" data-testid="reorder-announcement">
        {announcement}
      </p>
    </section>
  );
}
