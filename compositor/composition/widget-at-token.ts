/**
 * The widget endpoint's part of composition (load more, deferred widgets): which placement a page
 * token names, checked against the page as this request resolves it, and the answer for a widget
 * with nothing (more) to show.
 */
import { create } from "@bufbuild/protobuf";
import { dataUnavailable, notFound } from "../../api/errors.ts";
import { WidgetSchema, type Widget } from "../../protos/gen/tessera/page/v1/widget_pb.js";
import type { ResolvedLayout, ResolvedPlacement } from "../layouts/resolver.ts";
import type { Composition } from "./composition.ts";
import { otherWidgetsToken, pageChanged, type PageTokenClaims } from "./page-token.ts";

/** One widget of a page, through the widget endpoint: its next items, or a deferred widget. */
export interface WidgetComposition {
  /** The widget with its own `next_page_token` ("" at its last items); no body when it has nothing (more) to show. */
  widget: Widget;
  /** `widget` as protobuf binary. */
  bytes: Uint8Array;
  /** The widget as a page of its own: its cache policy, ETag, surrogate keys and timing are a page's. */
  composition: Composition;
}

/**
 * The layout of the token's widget alone, bound at the token's cursor (a deferred placement too: it
 * is what was asked for). 409 when the page changed since the token was made, 404 for a widget the
 * page does not have, 400 for another widget's token.
 */
export function layoutAtToken(
  layout: ResolvedLayout | undefined,
  claims: PageTokenClaims,
  dataVersion: string,
  instanceId: string,
): { single: ResolvedLayout; placement: ResolvedPlacement } {
  if (
    !layout ||
    layout.layoutVersion !== claims.layoutVersion ||
    layout.variantId !== claims.variantId ||
    dataVersion !== claims.dataVersion
  ) {
    throw pageChanged();
  }
  const placement = layout.placements.find((candidate) => candidate.instanceId === instanceId);
  if (!placement) throw notFound(`page "${layout.pageId}" has no widget "${instanceId}" for this request`);
  if (claims.instanceId !== instanceId) throw otherWidgetsToken(claims.instanceId, instanceId);
  const single: ResolvedLayout = { ...layout, placements: [{ ...placement, deferred: false, cursor: claims.cursor }], omitted: [] };
  return { single, placement };
}

/** The widget with nothing (more) to show: its envelope without a body. A failed one is a 503: its page would leave it out. */
export function emptyWidget(placement: ResolvedPlacement, omitted: { reason: string; message: string } | undefined): Widget {
  if (omitted && omitted.reason !== "empty") {
    throw dataUnavailable(
      `widget "${placement.instanceId}" cannot be composed right now (${omitted.reason}: ${omitted.message}); try again`,
    );
  }
  return create(WidgetSchema, { instanceId: placement.instanceId, type: placement.type, templateVersion: placement.templateVersion });
}
