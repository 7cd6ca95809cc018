/** A variant's description, match rules and schedule: who gets this variant, and when. */
import { messagesAt, problemsUnder } from "../problems.ts";
import type { Problem, Variant, VariantMatch } from "../types.ts";
import { ScheduleFields } from "./schedule-fields.tsx";

const PLATFORMS = ["web", "android", "ios", "tv"] as const;

interface Props {
  variant: Variant;
  /** Problems relative to the variant. */
  problems: Problem[];
  editable: boolean;
  onChange: (change: { description?: string; match?: VariantMatch }) => void;
}

const list = (text: string, upper = false) => {
  const items = text
    .split(",")
    .map((item) => (upper ? item.trim().toUpperCase() : item.trim()))
    .filter(Boolean);
  return items.length ? items : undefined;
};

function Errors({ problems, path }: { problems: Problem[]; path: (string | number)[] }) {
  // A list's problems may sit at one of its items (e.g. match.regions.1): show them at the list.
  const messages = problemsUnder(problems, path).map((problem) => problem.message);
  return (
    <>
      {[...new Set(messages)].map((message) => (
        <span class="field-error" key={message} role="alert">
          {message}
        </span>
      ))}
    </>
  );
}

interface TextFieldProps {
  /** The field's path in the variant, dotted (e.g. "match.cohorts"): its `data-field`, and where its problems are. */
  field: string;
  id: string;
  label: string;
  placeholder?: string;
  value: string;
  /** Shows `value` first, then what is typed as typed: a list is parsed on input, not reformatted under the cursor. */
  uncontrolled?: boolean;
  onInput: (text: string) => void;
  /** The variant's problems: the field shows its own and is marked invalid by them. */
  problems?: Problem[];
  /** Marks the field invalid when its problems are shown elsewhere (a row of fields sharing them). */
  invalid?: boolean;
  hint?: string;
}

function TextField({ field, id, label, placeholder, value, uncontrolled, onInput, problems, invalid, hint }: TextFieldProps) {
  const path = field.split(".");
  const marked = invalid ?? (problems !== undefined && problemsUnder(problems, path).length > 0);
  return (
    <div class="field" data-field={field}>
      <label class="field-label" for={id}>
        {label}
      </label>
      <input
        id={id}
        type="text"
        placeholder={placeholder}
        {...(uncontrolled ? { defaultValue: value } : { value })}
        aria-invalid={marked ? "true" : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {problems && <Errors problems={problems} path={path} />}
      {hint && <span class="field-hint">{hint}</span>}
    </div>
  );
}

export function VariantInspector({ variant, problems, editable, onChange }: Props) {
  const match = variant.match;
  const setMatch = (change: Partial<VariantMatch>) => {
    const next: Record<string, unknown> = { ...match, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    onChange({ match: next as VariantMatch });
  };
  const invalid = (...path: (string | number)[]) => problemsUnder(problems, path).length > 0;
  const experiment = match.experiment ?? { flag: "", variation: "" };
  const setExperiment = (field: "flag" | "variation", value: string) => {
    const next = { ...experiment, [field]: value.trim() };
    setMatch({ experiment: next.flag || next.variation ? next : undefined });
  };

  return (
    <form class="inspector-form" onSubmit={(event) => event.preventDefault()} aria-label={`Variant ${variant.id}`}>
      <header class="inspector-head">
        <h2>Variant {variant.id}</h2>
        <p class="muted small">Every condition set must hold; the variant with the most conditions that hold serves the request.</p>
      </header>
      <fieldset disabled={!editable} class="plain">
        <TextField
          field="description"
          id="variant-description"
          label="Description"
          value={variant.description ?? ""}
          problems={problems}
          onInput={(text) => onChange({ description: text || undefined })}
        />
        <div class="field" data-field="match.platforms">
          <span class="field-label" id="variant-platforms">
            Platforms
          </span>
          <span class="checks" role="group" aria-labelledby="variant-platforms">
            {PLATFORMS.map((platform) => (
              <label class="check" key={platform}>
                <input
                  type="checkbox"
                  checked={match.platforms?.includes(platform) ?? false}
                  onChange={(event) => {
                    const chosen = new Set(match.platforms ?? []);
                    if (event.currentTarget.checked) chosen.add(platform);
                    else chosen.delete(platform);
                    setMatch({ platforms: chosen.size ? PLATFORMS.filter((p) => chosen.has(p)) : undefined });
                  }}
                />
                {platform}
              </label>
            ))}
          </span>
          <Errors problems={problems} path={["match", "platforms"]} />
          <span class="field-hint">None checked: every platform.</span>
        </div>
        <div class="field-row">
          <TextField
            field="match.cohorts"
            id="variant-cohorts"
            label="Cohorts"
            placeholder="any, e.g. kids"
            value={match.cohorts?.join(", ") ?? ""}
            uncontrolled
            problems={problems}
            onInput={(text) => setMatch({ cohorts: list(text) })}
          />
          <TextField
            field="match.regions"
            id="variant-regions"
            label="Regions"
            placeholder="any, e.g. FR, BE"
            value={match.regions?.join(", ") ?? ""}
            uncontrolled
            problems={problems}
            onInput={(text) => setMatch({ regions: list(text, true) })}
          />
        </div>
        <TextField
          field="match.clientVersion"
          id="variant-client-version"
          label="Client versions"
          placeholder="any, e.g. >=5.0.0 or <4.0.0"
          value={match.clientVersion ?? ""}
          problems={problems}
          hint="A semver range."
          onInput={(text) => setMatch({ clientVersion: text.trim() || undefined })}
        />
        <div class="field-row">
          <TextField
            field="match.experiment.flag"
            id="variant-flag"
            label="Experiment flag"
            placeholder="none"
            value={experiment.flag}
            invalid={invalid("match", "experiment")}
            onInput={(text) => setExperiment("flag", text)}
          />
          <TextField
            field="match.experiment.variation"
            id="variant-variation"
            label="Variation"
            placeholder="none"
            value={experiment.variation}
            invalid={invalid("match", "experiment")}
            onInput={(text) => setExperiment("variation", text)}
          />
        </div>
        <Errors problems={problems} path={["match", "experiment"]} />
        <ScheduleFields
          idPrefix="variant"
          label="Serve"
          window={match.schedule}
          problems={problems}
          path={["match", "schedule"]}
          onChange={(schedule) => setMatch({ schedule })}
        />
        {messagesAt(problems, [])
          .concat(messagesAt(problems, ["match"]))
          .map((message) => (
            <p class="field-error" key={message}>
              {message}
            </p>
          ))}
      </fieldset>
    </form>
  );
}
