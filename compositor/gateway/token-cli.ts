/** `npm run token -- --user u42 [--cohort kids] [--persona p3] [--role operator] [--expires 12h]`: a development token. */
import { parseArgs } from "node:util";
import { DEV_JWT_SECRET, ROLES, signToken, type Role } from "./auth.ts";

const { values } = parseArgs({
  options: {
    user: { type: "string" },
    cohort: { type: "string" },
    persona: { type: "string" },
    role: { type: "string", multiple: true },
    expires: { type: "string", default: "12h" },
  },
});

const roles = values.role ?? [];
const badRole = roles.find((role) => !(ROLES as readonly string[]).includes(role));
if (!values.user || badRole) {
  console.error(
    badRole
      ? `unknown role "${badRole}": use ${ROLES.join(" or ")}`
      : "usage: npm run token -- --user u42 [--cohort kids] [--persona p3] [--role operator]",
  );
  process.exit(2);
}

console.log(
  await signToken(process.env.JWT_SECRET ?? DEV_JWT_SECRET, {
    userId: values.user,
    cohort: values.cohort,
    persona: values.persona,
    roles: roles as Role[],
    expiresIn: values.expires,
  }),
);
