/** The signed-in frame: top bar, the list of pages, and the editor of the chosen page. */
import { useEffect, useState } from "preact/hooks";
import type { DashboardApi } from "../api.ts";
import { useRoute } from "../route.ts";
import { canEdit, type PageSummary, type Session, type WidgetInfo } from "../types.ts";
import { PageEditor } from "./page-editor.tsx";
import { PageList } from "./page-list.tsx";

interface Props {
  api: DashboardApi;
  session: Session;
  onSignOut: () => void;
}

export function Workspace({ api, session, onSignOut }: Props) {
  const [route, go] = useRoute();
  const [pages, setPages] = useState<PageSummary[] | undefined>();
  const [widgets, setWidgets] = useState<WidgetInfo[]>([]);
  const [error, setError] = useState("");
  const editor = canEdit(session);

  const refreshPages = () =>
    api.listPages().then(setPages, (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));

  useEffect(() => {
    refreshPages();
    api.listWidgets().then(setWidgets, () => setWidgets([]));
  }, [api]);

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="#/">
          <span class="brand-mark" aria-hidden="true" />
          Tessera <span class="brand-sub">Layouts</span>
        </a>
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href="#/" aria-current={route.pageId ? undefined : "page"}>
            Pages
          </a>
          {route.pageId && (
            <>
              <span aria-hidden="true">/</span>
              <span aria-current="page">{route.pageId}</span>
            </>
          )}
        </nav>
        <div class="who">
          {!editor && <span class="pill pill-readonly">Read-only</span>}
          <span class="who-name" title={`roles: ${session.roles.join(", ") || "none"}`}>
            {session.userId}
            <span class="muted"> · {session.roles.join(", ") || "no role"}</span>
          </span>
          <button class="button ghost small" type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      {error && <p class="notice error">{error}</p>}
      {route.pageId ? (
        <PageEditor
          key={route.pageId}
          api={api}
          pageId={route.pageId}
          variantId={route.variantId}
          onVariant={(variantId) => go({ pageId: route.pageId, variantId }, true)}
          widgets={widgets}
          editable={editor}
          onPagesChanged={refreshPages}
        />
      ) : (
        <PageList pages={pages} onOpen={(pageId) => go({ pageId })} />
      )}
    </div>
  );
}
