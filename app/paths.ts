/** Where the reference client's sources are and where its build goes (git-ignored). */
import { fileURLToPath } from "node:url";

export const APP_SOURCE = fileURLToPath(new URL("./src/", import.meta.url));
export const APP_DIST = fileURLToPath(new URL("./dist/", import.meta.url));
