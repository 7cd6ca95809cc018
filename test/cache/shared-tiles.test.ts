import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { sharedTile } from "../../compositor/cache/shared-tiles.ts";
import { ContentSchema } from "../../protos/gen/tessera/dds/v1/content_pb.js";
import { EntitlementSchema } from "../../protos/gen/tessera/dds/v1/entitlement_pb.js";

describe("tiles of the shared entity caches", () => {
  const heat = create(ContentSchema, { id: "m1", title: "Heat" });
  const premium = create(EntitlementSchema, { contentId: "m1", entitled: false, badge: "premium" });

  it("are one frozen object per content entity and entitlement", () => {
    const tile = sharedTile(heat, premium);
    expect(tile).toEqual({ content: heat, entitled: false, badge: "premium" });
    expect(sharedTile(heat, premium)).toBe(tile);
    expect(Object.isFrozen(tile)).toBe(true);
  });

  it("tell another entitlement, or none, apart", () => {
    const included = create(EntitlementSchema, { contentId: "m1", entitled: true });
    expect(sharedTile(heat, included)).toEqual({ content: heat, entitled: true, badge: "" });
    expect(sharedTile(heat, undefined)).toEqual({ content: heat, entitled: true, badge: "" });
    expect(sharedTile(heat, undefined)).not.toBe(sharedTile(heat, included));
    expect(sharedTile(create(ContentSchema, { id: "m1", title: "Heat" }), premium)).not.toBe(sharedTile(heat, premium));
  });
});
