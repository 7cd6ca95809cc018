/** Artwork sizes per form factor: what a tile or a masthead is drawn at on each kind of screen. */
import { create } from "@bufbuild/protobuf";
import { ContentImageSchema, type ContentImage } from "../../protos/gen/tessera/dds/v1/content_pb.js";

export const FORM_FACTORS = ["phone", "tablet", "desktop", "tv"] as const;
export type FormFactor = (typeof FORM_FACTORS)[number];

type Size = readonly [width: number, height: number];

const TILE_SIZES: Record<FormFactor, Size> = {
  phone: [320, 180],
  tablet: [480, 270],
  desktop: [640, 360],
  tv: [960, 540],
};

const HERO_SIZES: Record<FormFactor, Size> = {
  phone: [720, 405],
  tablet: [1280, 720],
  desktop: [1920, 820],
  tv: [1920, 1080],
};

export function isFormFactor(value: string): value is FormFactor {
  return (FORM_FACTORS as readonly string[]).includes(value);
}

/** `artwork` names an editorial artwork version (a changed URL, so clients and CDNs fetch it anew). */
function image(
  baseUrl: string,
  contentId: string,
  kind: "tile" | "hero",
  [width, height]: Size,
  artwork: string | undefined,
): ContentImage {
  const version = artwork ? `?artwork=${artwork}` : "";
  return create(ContentImageSchema, { url: `${baseUrl}/${contentId}/${kind}/${width}x${height}.svg${version}`, width, height });
}

export function tileImage(baseUrl: string, contentId: string, formFactor: FormFactor, artwork?: string): ContentImage {
  return image(baseUrl, contentId, "tile", TILE_SIZES[formFactor], artwork);
}

export function heroImage(baseUrl: string, contentId: string, formFactor: FormFactor, artwork?: string): ContentImage {
  return image(baseUrl, contentId, "hero", HERO_SIZES[formFactor], artwork);
}
