/** A RequestContext for unit tests: a signed-in web user with the reference page's parameters. */
import { NO_FLAGS, type RequestContext } from "../../widget-registry/context.ts";
import { exampleDimensions } from "../../widget-registry/request-dimensions.ts";

export function requestContext(overrides: Partial<RequestContext> = {}): RequestContext {
  return { requestId: "test", userId: "u1", ...exampleDimensions(), flags: NO_FLAGS, params: {}, ...overrides };
}
