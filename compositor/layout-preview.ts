/**
 * The compose function the layout service previews drafts with: the request a preview names,
 * built as the gateway builds a page request's, resolved and composed as a live page would be.
 */
import { randomUUID } from "node:crypto";
import type { ComposePreview } from "../layout-service/layout-admin.ts";
import type { Flags } from "../widget-registry/context.ts";
import { REQUEST_PARAMETERS, type PreviewDimension } from "../widget-registry/request-dimensions.ts";
import { personaFor } from "../widget-registry/persona.ts";
import { buildRequestContext } from "./gateway/request-context.ts";
import { exampleParameters } from "./gateway/page-parameters.ts";
import { parsePageRequest, type RawPageRequest } from "./gateway/request-options.ts";
import type { PageCompositor } from "./composition/page-compositor.ts";

export function previewComposer(compositor: PageCompositor, regionHeader: string): ComposePreview {
  return async (draft, audience) => {
    const raw: RawPageRequest = { pageId: draft.layout.pageId };
    for (const name of REQUEST_PARAMETERS) if (name in audience) raw[name] = audience[name as PreviewDimension];
    const options = parsePageRequest(raw, {}, regionHeader);
    const flags: Flags = {
      isOn: (flag, fallback = false) => (flag in audience.flags ? audience.flags[flag] === "true" : fallback),
      variation: (flag, fallback) => audience.flags[flag] ?? fallback,
    };
    const identity = { userId: audience.userId, cohort: audience.cohort, persona: personaFor(audience.userId), roles: [] };
    // A draft of a page with parameters is previewed with their examples (the title page of its example title).
    const ctx = buildRequestContext(randomUUID(), identity, options, flags, exampleParameters(draft.layout.parameters ?? []));
    const preview = await compositor.preview(draft, ctx);
    return preview && { page: preview.composition.page, variantId: preview.variantId };
  };
}
