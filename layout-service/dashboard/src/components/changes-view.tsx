/** What publishing would change: the working copy against the live version, variant by variant. */
import type { Change } from "../diff.ts";

interface Props {
  changes: Change[];
  publishedVersion?: number;
  unsaved: boolean;
}

const SYMBOL = { added: "+", removed: "−", moved: "↕", changed: "~" } as const;

export function describeChange(change: Change): string {
  if (!change.instanceId && !change.field) return `variant ${change.variantId} ${change.kind}`;
  if (change.kind === "added") return `${change.instanceId} (${change.after}) added at position ${change.to}`;
  if (change.kind === "removed") return `${change.instanceId} (${change.before}) removed from position ${change.from}`;
  if (change.kind === "moved") return `${change.instanceId} moved from position ${change.from} to ${change.to}`;
  return `${change.instanceId ? `${change.instanceId} ` : ""}${change.field}: ${change.before} → ${change.after}`;
}

export function ChangeList({ changes }: { changes: Change[] }) {
  const byVariant = new Map<string, Change[]>();
  for (const change of changes) byVariant.set(change.variantId, [...(byVariant.get(change.variantId) ?? []), change]);
  return (
    <div class="change-groups">
      {[...byVariant].map(([variantId, group]) => (
        <section key={variantId} class="change-group">
          <h3 class="subhead">{variantId ? `Variant ${variantId}` : "Page"}</h3>
          <ul class="change-list">
            {group.map((change, i) => (
              <li key={i} class={`change change-${change.kind}`}>
                <span class="change-symbol" aria-hidden="true">
                  {SYMBOL[change.kind]}
                </span>
                <span>{describeChange(change)}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

export function ChangesView({ changes, publishedVersion, unsaved }: Props) {
  return (
    <section class="changes" aria-label="Changes">
      <p class="muted">
        Draft{unsaved ? " (with unsaved edits)" : ""} against {publishedVersion ? `live version ${publishedVersion}` : "nothing published yet"}.
      </p>
      {changes.length === 0 ? <p class="empty">No changes: the draft is what is live.</p> : <ChangeList changes={changes} />}
    </section>
  );
}
