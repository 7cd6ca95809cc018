/** One placement's settings: id, template version, essential, deferred, schedule, and its config form. */
import { messagesAt } from "../problems.ts";
import type { Placement, Problem, WidgetInfo } from "../types.ts";
import { ConfigForm } from "./config-form.tsx";
import { ScheduleFields } from "./schedule-fields.tsx";
import { TemplateVersions } from "./template-versions.tsx";

interface Props {
  placement: Placement;
  position: number;
  count: number;
  widget?: WidgetInfo;
  /** Problems relative to the placement. */
  problems: Problem[];
  editable: boolean;
  onChange: (change: Partial<Placement>) => void;
}

function Errors({ messages, id }: { messages: string[]; id: string }) {
  return (
    <>
      {messages.map((message) => (
        <span class="field-error" id={id} key={message} role="alert">
          {message}
        </span>
      ))}
    </>
  );
}

export function PlacementInspector({ placement, position, count, widget, problems, editable, onChange }: Props) {
  const at = (...path: (string | number)[]) => messagesAt(problems, path);
  const idErrors = at("instanceId");
  const versionErrors = at("templateVersion");

  return (
    <form class="inspector-form" onSubmit={(event) => event.preventDefault()} aria-label={`Settings of ${placement.instanceId}`}>
      <header class="inspector-head">
        <h2>{placement.instanceId}</h2>
        <p class="muted small">
          {placement.type} · position {position + 1} of {count}
          {widget && ` · ${widget.cacheScope} cache`}
        </p>
      </header>
      {!widget && <p class="notice error">The registry has no widget type “{placement.type}”.</p>}
      <fieldset disabled={!editable} class="plain">
        <div class="field-row">
          <div class={`field${idErrors.length ? " has-error" : ""}`} data-field="instanceId">
            <label class="field-label" for="placement-instance-id">
              Instance id
            </label>
            <input
              id="placement-instance-id"
              type="text"
              value={placement.instanceId}
              aria-invalid={idErrors.length ? "true" : undefined}
              onInput={(event) => onChange({ instanceId: event.currentTarget.value })}
            />
            <Errors messages={idErrors} id="placement-instance-id-error" />
          </div>
          <div class={`field${versionErrors.length ? " has-error" : ""}`} data-field="templateVersion">
            <label class="field-label" for="placement-template">
              Template
            </label>
            <select
              id="placement-template"
              value={placement.templateVersion}
              onChange={(event) => onChange({ templateVersion: event.currentTarget.value })}
            >
              <option value="newest">Newest supported</option>
              {widget?.templates.map((template) => (
                <option key={template.version} value={template.version} disabled={template.status === "retired"}>
                  v{template.version} ({template.status})
                </option>
              ))}
            </select>
            <Errors messages={versionErrors} id="placement-template-error" />
          </div>
        </div>
        {widget && <TemplateVersions widget={widget} pinned={placement.templateVersion} />}
        <CheckboxField
          field="essential"
          label="Essential"
          checked={placement.essential}
          onChange={(essential) => onChange({ essential })}
          hint="When it fails, the page is answered 503 instead of served without it."
        />
        <CheckboxField
          field="deferred"
          label="Deferred"
          checked={placement.deferred}
          onChange={(deferred) => onChange({ deferred })}
          hint="Below the fold: the page holds a placeholder and the app fetches the widget after the first response."
        />
        <ScheduleFields
          idPrefix="placement"
          label="Show"
          window={placement.schedule}
          problems={problems}
          path={["schedule"]}
          onChange={(schedule) => onChange({ schedule })}
        />
        <h3 class="subhead">Config</h3>
        {widget ? (
          <ConfigForm
            schema={widget.configSchema}
            value={placement.config}
            path={["config"]}
            problems={problems}
            disabled={!editable}
            idPrefix="placement"
            onChange={(config) => onChange({ config })}
          />
        ) : (
          <pre class="mono">{JSON.stringify(placement.config, null, 2)}</pre>
        )}
      </fieldset>
    </form>
  );
}

interface CheckboxFieldProps {
  /** The placement field it sets: its `data-field` and the input's id. */
  field: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint: string;
}

/** One of the placement's yes-or-no settings: a checkbox, its label and what it means. */
function CheckboxField({ field, label, checked, onChange, hint }: CheckboxFieldProps) {
  const id = `placement-${field}`;
  return (
    <div class="field field-inline" data-field={field}>
      <input id={id} type="checkbox" checked={checked} onChange={(event) => onChange(event.currentTarget.checked)} />
      <label class="field-label" for={id}>
        {label}
      </label>
      <span class="field-hint">{hint}</span>
    </div>
  );
}
