/**
 * The binder test kit: import it from a binder's test (never from a binder) as the binder imports
 * the SDK. It runs a binder with the compositor's own runtime pieces — deliberately, so a test sees
 * exactly the deadline, item cap, batching and localization the server applies — which is why this
 * one widget-registry module may import the compositor (scripts/check-imports.ts allows it).
 */
export { demoDds, fixtureDds, TEST_IMAGE_BASE, type DdsClient, type DdsFixtures, type Film } from "./testing/dds.ts";
export { testBinder, testContext, testFlags, type BinderRun, type DdsCallRecord, type TestRunOptions } from "./testing/run-binder.ts";
export {
  checkAccessibility,
  checkImageSizes,
  checkKidsRatings,
  checkLocales,
  findMessages,
  imageSizesFor,
  imagesOf,
  itemsOf,
  KIDS_ALLOWED_RATINGS,
  SHIPPED_LOCALES,
  type CheckOptions,
  type CheckReport,
} from "./testing/checks.ts";
