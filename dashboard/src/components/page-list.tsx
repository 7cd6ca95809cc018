/** Every page with what is live and whether its draft has changes not yet published. */
import type { PageSummary } from "../types.ts";

interface Props {
  pages: PageSummary[] | undefined;
  onOpen: (pageId: string) => void;
}

export function PageList({ pages, onOpen }: Props) {
  return (
    <main class="page-list">
      <h1>Pages</h1>
      {!pages ? (
        <p class="muted">Loading…</p>
      ) : pages.length === 0 ? (
        <p class="muted">No pages yet.</p>
      ) : (
        <table class="table" aria-label="Pages">
          <thead>
            <tr>
              <th scope="col">Page</th>
              <th scope="col">Published</th>
              <th scope="col">Draft</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {pages.map((page) => (
              <tr key={page.pageId} class="clickable" onClick={() => onOpen(page.pageId)}>
                <td>
                  <a class="page-link" href={`#/pages/${page.pageId}`} onClick={(event) => event.stopPropagation()}>
                    {page.pageId}
                  </a>
                </td>
                <td>{page.publishedVersion ? `v${page.publishedVersion}` : <span class="muted">never</span>}</td>
                <td>{page.draftRevision ? `revision ${page.draftRevision}` : <span class="muted">—</span>}</td>
                <td>
                  {page.hasUnpublishedChanges ? (
                    <span class="pill pill-warn">Unpublished changes</span>
                  ) : (
                    <span class="pill pill-ok">Live</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
