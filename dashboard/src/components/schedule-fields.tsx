/** A schedule window's two ends as local date-time inputs; ISO instants in the layout. */
import { messagesAt } from "../problems.ts";
import type { Problem, ScheduleWindow } from "../types.ts";

/** ISO instant → the value of a datetime-local input (local time, minutes). */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

interface Props {
  idPrefix: string;
  label: string;
  window: ScheduleWindow | undefined;
  /** Problems relative to the schedule's parent; the schedule is at `path`. */
  problems: Problem[];
  path: (string | number)[];
  onChange: (window: ScheduleWindow | undefined) => void;
}

export function ScheduleFields({ idPrefix, label, window, problems, path, onChange }: Props) {
  const schedule = window ?? {};
  const set = (end: keyof ScheduleWindow, local: string) => {
    const next: ScheduleWindow = { ...schedule };
    if (local) next[end] = new Date(local).toISOString();
    else delete next[end];
    onChange(next.from || next.until ? next : undefined);
  };
  return (
    <>
      <div class="field-row">
        {(["from", "until"] as const).map((end) => {
          const errors = messagesAt(problems, [...path, end]);
          return (
            <div key={end} class={`field${errors.length ? " has-error" : ""}`} data-field={[...path, end].join(".")}>
              <label class="field-label" for={`${idPrefix}-${end}`}>
                {label} {end}
              </label>
              <input
                id={`${idPrefix}-${end}`}
                type="datetime-local"
                value={toLocalInput(schedule[end])}
                aria-invalid={errors.length ? "true" : undefined}
                onChange={(event) => set(end, event.currentTarget.value)}
              />
              {errors.map((error) => (
                <span class="field-error" key={error} role="alert">
                  {error}
                </span>
              ))}
            </div>
          );
        })}
      </div>
      {messagesAt(problems, path).map((error) => (
        <span class="field-error" key={error} role="alert">
          {error}
        </span>
      ))}
    </>
  );
}
