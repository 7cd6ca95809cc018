/** A page's variants with their match rules and schedules; the most specific match wins. */
import { diffLayouts } from "../diff.ts";
import { matchChips, scheduleState } from "../format.ts";
import type { PageLayout, Problem } from "../types.ts";

interface Props {
  layout: PageLayout;
  published?: PageLayout;
  selected?: string;
  problems: Problem[];
  onSelect: (variantId: string) => void;
}

export function VariantList({ layout, published, selected, problems, onSelect }: Props) {
  const changed = new Set(diffLayouts(published, layout).map((change) => change.variantId));
  return (
    <nav class="variants" aria-label="Variants">
      <h2 class="section-title">
        Variants <span class="muted">{layout.variants.length}</span>
      </h2>
      <ul class="variant-list">
        {layout.variants.map((variant, index) => {
          const chips = matchChips(variant.match);
          const schedule = scheduleState(variant.match.schedule);
          const invalid = problems.some((problem) => problem.path[0] === "variants" && problem.path[1] === index);
          return (
            <li key={variant.id}>
              <button
                type="button"
                class={`variant-card${variant.id === selected ? " selected" : ""}`}
                aria-current={variant.id === selected ? "true" : undefined}
                onClick={() => onSelect(variant.id)}
              >
                <span class="variant-head">
                  <span class="variant-id">{variant.id}</span>
                  {changed.has(variant.id) && <span class="dot dot-warn" title="Changed in the draft" />}
                  {invalid && <span class="dot dot-error" title="Has problems" />}
                  <span class="muted small">{variant.placements.length} widgets</span>
                </span>
                {variant.description && <span class="variant-desc">{variant.description}</span>}
                <span class="chips">
                  {chips.length === 0 ? (
                    <span class="chip chip-any">everyone else</span>
                  ) : (
                    chips.map((chip) => (
                      <span key={chip.label} class={`chip chip-${chip.label}${chip.label === "schedule" ? ` schedule-${schedule}` : ""}`}>
                        <span class="chip-label">{chip.label}</span> {chip.value}
                      </span>
                    ))
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <p class="hint muted">The most specific matching variant serves a request; “everyone else” catches the rest.</p>
    </nav>
  );
}
