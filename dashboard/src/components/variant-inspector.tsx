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

export function VariantInspector({ variant, problems, editable, onChange }: Props) {
  const match = variant.match;
  const setMatch = (change: Partial<VariantMatch>) => {
    const next: Record<string, unknown> = { ...match, ...change };
    for (const key of Object.keys(next)) if (next[key] === undefined) delete next[key];
    onChange({ match: next as VariantMatch });
  };
  const invalid = (...path: (string | number)[]) => (problemsUnder(problems, path).length ? "true" : undefined);
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
        <div class="field" data-field="description">
          <label class="field-label" for="variant-description">
            Description
          </label>
          <input
            id="variant-description"
            type="text"
            value={variant.description ?? ""}
            onInput={(event) => onChange({ description: event.currentTarget.value || undefined })}
          />
          <Errors problems={problems} path={["description"]} />
        </div>
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
          <div class="field" data-field="match.cohorts">
            <label class="field-label" for="variant-cohorts">
              Cohorts
            </label>
            <input
              id="variant-cohorts"
              type="text"
              placeholder="any, e.g. kids"
              defaultValue={match.cohorts?.join(", ") ?? ""}
              aria-invalid={invalid("match", "cohorts")}
              onInput={(event) => setMatch({ cohorts: list(event.currentTarget.value) })}
            />
            <Errors problems={problems} path={["match", "cohorts"]} />
          </div>
          <div class="field" data-field="match.regions">
            <label class="field-label" for="variant-regions">
              Regions
            </label>
            <input
              id="variant-regions"
              type="text"
              placeholder="any, e.g. FR, BE"
              defaultValue={match.regions?.join(", ") ?? ""}
              aria-invalid={invalid("match", "regions")}
              onInput={(event) => setMatch({ regions: list(event.currentTarget.value, true) })}
            />
            <Errors problems={problems} path={["match", "regions"]} />
          </div>
        </div>
        <div class="field" data-field="match.clientVersion">
          <label class="field-label" for="variant-client-version">
            Client versions
          </label>
          <input
            id="variant-client-version"
            type="text"
            placeholder="any, e.g. >=5.0.0 or <4.0.0"
            value={match.clientVersion ?? ""}
            aria-invalid={invalid("match", "clientVersion")}
            onInput={(event) => setMatch({ clientVersion: event.currentTarget.value.trim() || undefined })}
          />
          <Errors problems={problems} path={["match", "clientVersion"]} />
          <span class="field-hint">A semver range.</span>
        </div>
        <div class="field-row">
          <div class="field" data-field="match.experiment.flag">
            <label class="field-label" for="variant-flag">
              Experiment flag
            </label>
            <input
              id="variant-flag"
              type="text"
              placeholder="none"
              value={experiment.flag}
              aria-invalid={invalid("match", "experiment")}
              onInput={(event) => setExperiment("flag", event.currentTarget.value)}
            />
          </div>
          <div class="field" data-field="match.experiment.variation">
            <label class="field-label" for="variant-variation">
              Variation
            </label>
            <input
              id="variant-variation"
              type="text"
              placeholder="none"
              value={experiment.variation}
              aria-invalid={invalid("match", "experiment")}
              onInput={(event) => setExperiment("variation", event.currentTarget.value)}
            />
          </div>
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
