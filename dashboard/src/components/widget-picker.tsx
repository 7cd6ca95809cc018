/** The widget registry: every widget type with its template versions and their status. */
import { useState } from "preact/hooks";
import type { WidgetInfo } from "../types.ts";
import { TemplateVersions, VERSIONS_NOTE } from "./template-versions.tsx";

interface Props {
  widgets: WidgetInfo[];
  onAdd: (widget: WidgetInfo) => void;
}

export function WidgetPicker({ widgets, onAdd }: Props) {
  const [filter, setFilter] = useState("");
  const shown = widgets.filter((widget) => widget.type.includes(filter.trim().toLowerCase()));
  return (
    <div class="picker">
      <input
        type="search"
        class="picker-filter"
        placeholder="Filter widget types"
        aria-label="Filter widget types"
        value={filter}
        onInput={(event) => setFilter(event.currentTarget.value)}
      />
      <p class="field-hint picker-note">{VERSIONS_NOTE} A new widget goes after the selected one.</p>
      {shown.length === 0 && <p class="muted">No widget type matches.</p>}
      <ul class="picker-list">
        {shown.map((widget) => {
          const usable = widget.templates.some((template) => template.status !== "retired");
          return (
            <li key={widget.type} class="picker-item" data-widget={widget.type}>
              <div class="picker-head">
                <span class="instance-id">{widget.type}</span>
                <span class="muted small">
                  {widget.description} · {widget.cacheScope} cache
                </span>
                <button
                  type="button"
                  class="button small"
                  disabled={!usable}
                  title={usable ? undefined : "Every template version is retired"}
                  aria-label={`Add ${widget.type}`}
                  onClick={() => onAdd(widget)}
                >
                  Add
                </button>
              </div>
              <TemplateVersions widget={widget} note={false} />
            </li>
          );
        })}
      </ul>
    </div>
  );
}
