/**
 * Who may do what: reading needs a token with the viewer or operator role, writing the operator
 * role. Tokens are verified by the function the server's start-up hands in.
 */
import { forbidden, unauthenticated } from "./errors.ts";

export interface Caller {
  userId: string;
  roles: readonly string[];
}

/** Verifies an Authorization header; throws a 401 error for a bad token; userId "" when absent. */
export type Authenticate = (authorization: string | undefined) => Promise<Caller>;

export type Access = "read" | "write";

const ROLES_FOR: Record<Access, readonly string[]> = { read: ["viewer", "operator"], write: ["operator"] };

export async function authorize(authenticate: Authenticate, authorization: string | undefined, access: Access): Promise<Caller> {
  if (!authorization) throw unauthenticated("the layout API needs a bearer token (npm run token -- --user alice --role operator)");
  const caller = await authenticate(authorization);
  if (!caller.userId) throw unauthenticated("the layout API needs a bearer token");
  if (!caller.roles.some((role) => ROLES_FOR[access].includes(role))) {
    throw forbidden(`${access === "write" ? "changing layouts" : "reading layouts"} needs the role ${ROLES_FOR[access].join(" or ")}; ${caller.userId} has ${caller.roles.join(", ") || "no role"}`);
  }
  return caller;
}
