/** The working copy composed for a chosen audience, drawn as the app would show it, before publishing. */
import { useEffect, useRef, useState } from "preact/hooks";
import type { DashboardApi } from "../api.ts";
import type { PageLayout, PreviewAudience, PreviewPage, PreviewWidget } from "../types.ts";

interface Props {
  api: DashboardApi;
  pageId: string;
  layout: PageLayout;
  unsaved: boolean;
  /** An operator may preview as a named user; a viewer only anonymously (the server refuses otherwise). */
  asNamedUser: boolean;
}

const PLATFORMS = ["web", "android", "ios", "tv"];
const COHORTS = ["", "kids"];
let lastAudience: PreviewAudience = { platform: "web", cohort: "", clientVersion: "5.0.0", region: "", userId: "", flags: {} };

/** Every experiment variation some variant is bound to, as "flag=variation". */
function experimentChoices(layout: PageLayout): { flag: string; variation: string }[] {
  const seen = new Map<string, { flag: string; variation: string }>();
  for (const variant of layout.variants) {
    const experiment = variant.match.experiment;
    if (experiment) seen.set(`${experiment.flag}=${experiment.variation}`, experiment);
  }
  return [...seen.values()];
}

function WidgetCard({ widget }: { widget: PreviewWidget }) {
  const hero = widget.kind === "hero";
  return (
    <article class={`preview-widget preview-${widget.kind}`} data-instance={widget.instanceId}>
      <header class="preview-widget-head">
        <h3>{widget.title || (hero ? "Featured" : widget.instanceId)}</h3>
        <span class="muted small">
          {widget.type} · template {widget.templateVersion} · {widget.items.length} items
        </span>
      </header>
      <div class={hero ? "preview-hero-strip" : "preview-strip"}>
        {widget.items.slice(0, hero ? 3 : 8).map((item, i) => (
          <figure class="preview-item" key={i}>
            <div class="preview-image">
              {item.imageUrl ? <img src={item.imageUrl} alt="" loading="lazy" /> : <div class="preview-image-missing" />}
              {item.badge && <span class="preview-badge">{item.badge}</span>}
              {item.progressPercent > 0 && (
                <span class="preview-progress">
                  <span style={{ width: `${Math.min(100, item.progressPercent)}%` }} />
                </span>
              )}
            </div>
            <figcaption>
              <span class="preview-title">{item.title}</span>
              {item.ageRating && <span class="preview-rating">{item.ageRating}</span>}
            </figcaption>
          </figure>
        ))}
      </div>
    </article>
  );
}

export function PreviewView({ api, pageId, layout, unsaved, asNamedUser }: Props) {
  const [audience, setAudience] = useState<PreviewAudience>(asNamedUser ? lastAudience : { ...lastAudience, userId: "" });
  const [page, setPage] = useState<PreviewPage>();
  const [shownFor, setShownFor] = useState<PreviewAudience>(audience);
  const latest = useRef(0);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const run = async (event?: Event) => {
    event?.preventDefault();
    lastAudience = audience;
    const ticket = ++latest.current;
    const asked = audience;
    setBusy(true);
    try {
      const composed = await api.preview(pageId, layout, asked);
      if (ticket !== latest.current) return;
      setPage(composed);
      setShownFor(asked);
      setError("");
    } catch (failure) {
      if (ticket !== latest.current) return;
      setPage(undefined);
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      if (ticket === latest.current) setBusy(false);
    }
  };

  // The preview follows the audience and the edits, so what it shows is never for another audience.
  useEffect(() => {
    const timer = setTimeout(() => run(), 250);
    return () => clearTimeout(timer);
  }, [layout, audience]);

  const experiments = experimentChoices(layout);
  const set = (field: Exclude<keyof PreviewAudience, "flags">) => (event: Event) =>
    setAudience({ ...audience, [field]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });

  return (
    <section class="preview" aria-label="Preview">
      <form class="audience" onSubmit={run} aria-label="Audience">
        <label class="field">
          <span class="field-label">Platform</span>
          <select name="platform" value={audience.platform} onChange={set("platform")}>
            {PLATFORMS.map((platform) => (
              <option key={platform} value={platform}>
                {platform}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Cohort</span>
          <select name="cohort" value={audience.cohort} onChange={set("cohort")}>
            {COHORTS.map((cohort) => (
              <option key={cohort} value={cohort}>
                {cohort || "general"}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span class="field-label">Client version</span>
          <input
            name="clientVersion"
            type="text"
            value={audience.clientVersion}
            onInput={set("clientVersion")}
            placeholder="5.0.0"
            size={8}
          />
        </label>
        <label class="field">
          <span class="field-label">Region</span>
          <input name="region" type="text" value={audience.region} onInput={set("region")} placeholder="any" size={4} maxLength={2} />
        </label>
        {experiments.length > 0 && (
          <label class="field">
            <span class="field-label">Experiment</span>
            <select
              name="experiment"
              value={Object.entries(audience.flags).map(([flag, variation]) => `${flag}=${variation}`)[0] ?? ""}
              onChange={(event) => {
                const chosen = experiments.find((e) => `${e.flag}=${e.variation}` === event.currentTarget.value);
                setAudience({ ...audience, flags: chosen ? { [chosen.flag]: chosen.variation } : {} });
              }}
            >
              <option value="">as assigned</option>
              {experiments.map((e) => (
                <option key={`${e.flag}=${e.variation}`} value={`${e.flag}=${e.variation}`}>
                  {e.flag} = {e.variation}
                </option>
              ))}
            </select>
          </label>
        )}
        <label class="field">
          <span class="field-label">User</span>
          <input
            name="userId"
            type="text"
            value={audience.userId}
            onInput={set("userId")}
            placeholder="anonymous"
            size={10}
            disabled={!asNamedUser}
            title={asNamedUser ? undefined : "A named user's preview shows their history and favorites: it needs an operator token"}
          />
        </label>
        <button class="button primary" type="submit" disabled={busy}>
          {busy ? "Composing…" : "Preview"}
        </button>
      </form>
      <p class="muted small preview-note">
        Composes {unsaved ? "your working copy, unsaved edits included," : "the draft"} exactly as the server would for this audience.
        Nothing is published.
      </p>
      {error && <p class="notice error">{error}</p>}
      {page && (
        <>
          <p class="preview-summary" data-testid="preview-summary">
            <span>
              As <strong>{shownFor.cohort || "general"}</strong> on {shownFor.platform} {shownFor.clientVersion}
              {shownFor.region && ` in ${shownFor.region}`}
              {shownFor.userId ? ` for ${shownFor.userId}` : ", anonymous"}:
            </span>
            variant <strong>{page.variantId || "—"}</strong> · {page.widgets.length} widgets
            {page.omitted.length > 0 && ` · ${page.omitted.length} left out`}
            {page.experiments.map((experiment) => (
              <span class="chip" key={experiment.flag}>
                <span class="chip-label">experiment</span> {experiment.flag} = {experiment.variation}
              </span>
            ))}
          </p>
          <div class={`device device-${audience.platform}`}>
            {page.widgets.map((widget) => (
              <WidgetCard key={widget.instanceId} widget={widget} />
            ))}
            {page.widgets.length === 0 && <p class="muted">This audience would see an empty page.</p>}
          </div>
          {page.omitted.length > 0 && (
            <section class="omitted" aria-label="Left out">
              <h3 class="subhead">Left out for this audience</h3>
              <ul>
                {page.omitted.map((omission) => (
                  <li key={omission.instanceId}>
                    <span class="instance-id">{omission.instanceId}</span> <span class="tag">{omission.reason}</span>{" "}
                    <span class="muted">{omission.message}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </section>
  );
}
