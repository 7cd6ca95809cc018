/**
 * Builds the operator dashboard into dist/: one bundled, minified script, its stylesheet and
 * index.html. `npm run build:dashboard`; `npm start` runs it first (prestart).
 */
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { DASHBOARD_DIST, DASHBOARD_SOURCE } from "./paths.ts";

export async function buildDashboard(outdir: string = DASHBOARD_DIST): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { app: `${DASHBOARD_SOURCE}main.tsx`, styles: `${DASHBOARD_SOURCE}styles.css` },
    outdir,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: "esm",
    target: ["es2022"],
    jsx: "automatic",
    jsxImportSource: "preact",
    logLevel: "warning",
    legalComments: "none",
  });
  await copyFile(`${DASHBOARD_SOURCE}index.html`, `${outdir}index.html`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildDashboard();
  console.log(`dashboard built into ${DASHBOARD_DIST} in ${Math.round(performance.now() - started)} ms`);
}
