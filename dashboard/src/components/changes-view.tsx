/** What publishing would change: the working copy against the live version, variant by variant. */
import type { Change } from "../diff.ts";
import type { PageLayout } from "../types.ts";

interface Props {
  changes: Change[];
  live?: PageLayout;
  draft: PageLayout;
  publishedVersion?: number;
  unsaved: boolean;
}

/** A variant's widgets in live order beside draft order, the rows that differ marked. */
function OrderCompare({ live, draft }: { live: string[]; draft: string[] }) {
  const rows = Math.max(live.length, draft.length);
  return (
    <table class="table compact order-compare" aria-label="Order, live and draft">
      <thead>
        <tr>
          <th scope="col" class="num">
            #
          </th>
          <th scope="col">Live</th>
          <th scope="col">Draft</th>
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: rows }, (_, i) => (
          <tr key={i} class={live[i] === draft[i] ? undefined : "differs"}>
            <td class="num muted">{i + 1}</td>
            <td class={live[i] && !draft.includes(live[i]) ? "gone" : undefined}>{live[i] ?? ""}</td>
            <td class={draft[i] && !live.includes(draft[i]) ? "new" : undefined}>{draft[i] ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
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

export function ChangesView({ changes, live, draft, publishedVersion, unsaved }: Props) {
  const reordered = [
    ...new Set(changes.filter((change) => change.instanceId && change.kind !== "changed").map((change) => change.variantId)),
  ];
  const ids = (layout: PageLayout | undefined, variantId: string) =>
    layout?.variants.find((variant) => variant.id === variantId)?.placements.map((placement) => placement.instanceId) ?? [];
  return (
    <section class="changes" aria-label="Changes">
      <p class="muted">
        Draft{unsaved ? " (with unsaved edits)" : ""} against{" "}
        {publishedVersion ? `live version ${publishedVersion}` : "nothing published yet"}.
      </p>
      {changes.length === 0 ? (
        <p class="empty">No changes: the draft is what is live.</p>
      ) : (
        <div class="changes-grid">
          <ChangeList changes={changes} />
          {reordered.length > 0 && (
            <div class="order-compares">
              {reordered.map((variantId) => (
                <section key={variantId}>
                  <h3 class="subhead">Order of {variantId}</h3>
                  <OrderCompare live={ids(live, variantId)} draft={ids(draft, variantId)} />
                </section>
              ))}
            </div>
          )}
        </div>
      )}
    </section>
  );
}
