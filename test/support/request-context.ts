/** A RequestContext for unit tests: a signed-in web user with the reference page's parameters. */
import { NO_FLAGS, type RequestContext } from "../../widget-registry/context.ts";

export function requestContext(overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    requestId: "test",
    userId: "u1",
    cohort: "",
    persona: "p0",
    platform: "web",
    formFactor: "desktop",
    clientVersion: "5.0.0",
    locale: "en",
    region: "",
    flags: NO_FLAGS,
    ...overrides,
  };
}
