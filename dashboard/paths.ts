/** Where the dashboard's sources are and where its build goes (git-ignored). */
import { fileURLToPath } from "node:url";

export const DASHBOARD_SOURCE = fileURLToPath(new URL("./src/", import.meta.url));
export const DASHBOARD_DIST = fileURLToPath(new URL("./dist/", import.meta.url));
