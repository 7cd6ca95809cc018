/** A widget's template versions: status and the lowest client version per platform. */
import type { WidgetInfo } from "../types.ts";

const PLATFORMS = ["web", "android", "ios", "tv"];

export const VERSIONS_NOTE = "Lowest client version that renders each template, per platform; — cannot.";

export function TemplateVersions({ widget, pinned, note = true }: { widget: WidgetInfo; pinned?: string; note?: boolean }) {
  return (
    <table class="table compact versions" aria-label={`Template versions of ${widget.type}`}>
      {note && <caption>{VERSIONS_NOTE}</caption>}
      <thead>
        <tr>
          <th scope="col">Version</th>
          <th scope="col">Status</th>
          {PLATFORMS.map((platform) => (
            <th scope="col" key={platform}>
              {platform}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {[...widget.templates].reverse().map((template) => (
          <tr key={template.version} class={template.version === pinned ? "pinned" : undefined}>
            <td>v{template.version}</td>
            <td>
              <span class={`status status-${template.status}`}>{template.status}</span>
            </td>
            {PLATFORMS.map((platform) => (
              <td key={platform} class="num">
                {template.minClientVersion[platform] ? template.minClientVersion[platform] : <span class="muted">—</span>}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
