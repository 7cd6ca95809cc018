/**
 * The layout model has one source, the zod schema of layout-service/model.ts. The layout messages of
 * layout.proto and the dashboard's layout types mirror it, and these checks fail when either drifts.
 * (layout-api.test.ts round-trips a document that sets every field through the messages.)
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import type * as Dashboard from "../../dashboard/src/types.ts";
import * as model from "../../layout-service/model.ts";
import { PageLayoutSchema, PlacementSchema } from "../../protos/gen/tessera/layout/v1/layout_pb.js";
import { modelProtoMismatches } from "../support/layout-model.ts";

describe("the layout model", () => {
  it("has the same fields as tessera.layout.v1.PageLayout, all the way down, with types that fit", () => {
    expect(modelProtoMismatches(model.pageLayoutSchema, PageLayoutSchema)).toEqual([]);
  });

  it("is told apart from a message it does not mirror", () => {
    const drifted = model.placementSchema.omit({ essential: true }).extend({ priority: z.number(), templateVersion: z.boolean() });
    expect(modelProtoMismatches(drifted, PlacementSchema)).toEqual([
      "Placement.templateVersion: the model's boolean does not fit the proto's string",
      "Placement.priority: in the model, not in tessera.layout.v1.Placement",
      "Placement.essential: in tessera.layout.v1.Placement, not in the model",
    ]);
  });

  it("is the dashboard's layout types (checked by npm run typecheck)", () => {
    expectTypeOf<Dashboard.PageLayout>().toEqualTypeOf<model.PageLayout>();
    expectTypeOf<Dashboard.Variant>().toEqualTypeOf<model.Variant>();
    expectTypeOf<Dashboard.VariantMatch>().toEqualTypeOf<model.VariantMatch>();
    expectTypeOf<Dashboard.Placement>().toEqualTypeOf<model.Placement>();
    expectTypeOf<Dashboard.ScheduleWindow>().toEqualTypeOf<model.ScheduleWindow>();
  });
});
