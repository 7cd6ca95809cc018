/**
 * Who may do what: reading needs a token with the viewer or operator role, writing the operator
 * role, and so does a preview as a named user, which shows that user's data (history, favorites).
 * The server's gateway verifies a request's token once and hands the caller in.
 */
import { createContextKey } from "@connectrpc/connect";
import type { FastifyRequest } from "fastify";
import { forbidden, unauthenticated } from "../api/errors.ts";

export interface Caller {
  userId: string;
  roles: readonly string[];
}

/** The caller of a request as the gateway identified it: rejects with a 401 error for a bad token; userId "" when it has none. */
export type CallerOf = (request: FastifyRequest) => Promise<Caller>;

/** The caller of a Connect call, put into the handler's context values by the Connect plugin. */
export const CALLER = createContextKey<Promise<Caller> | undefined>(undefined, { description: "the layout API's caller" });

export type Access = "read" | "write";

const ROLES_FOR: Record<Access, readonly string[]> = { read: ["viewer", "operator"], write: ["operator"] };

export async function authorize(
  authorization: string | undefined,
  identified: Promise<Caller> | undefined,
  access: Access,
): Promise<Caller> {
  if (!authorization) throw unauthenticated("the layout API needs a bearer token (npm run token -- --user alice --role operator)");
  if (!identified) throw new Error("the layout API is served without the gateway that identifies callers");
  const caller = await identified;
  if (!caller.userId) throw unauthenticated("the layout API needs a bearer token");
  if (!caller.roles.some((role) => ROLES_FOR[access].includes(role))) {
    throw forbidden(
      `${access === "write" ? "changing layouts" : "reading layouts"} needs the role ${ROLES_FOR[access].join(" or ")}; ${caller.userId} has ${caller.roles.join(", ") || "no role"}`,
    );
  }
  return caller;
}

/** A preview as a named user shows their history and favorites: only an operator may; a viewer previews anonymously. */
export function authorizePreviewAs(caller: Caller, userId: string): void {
  if (!userId || caller.roles.includes("operator")) return;
  throw forbidden(
    `previewing as user "${userId}" would show their history and favorites, which needs the role operator; ${caller.userId} has ${caller.roles.join(", ") || "no role"}: preview anonymously (no user id)`,
  );
}
