/**
 * Builds the reference client into dist/: one bundled, minified script, its stylesheet and
 * index.html. `npm run build:app`; `npm start` runs it first (prestart).
 */
import { build } from "esbuild";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { APP_DIST, APP_SOURCE } from "./paths.ts";

export async function buildApp(outdir: string = APP_DIST): Promise<void> {
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { app: `${APP_SOURCE}main.ts`, styles: `${APP_SOURCE}styles.css` },
    outdir,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: "esm",
    target: ["es2022"],
    logLevel: "warning",
    legalComments: "none",
  });
  await copyFile(`${APP_SOURCE}index.html`, `${outdir}index.html`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await buildApp();
  console.log(`reference client built into ${APP_DIST} in ${Math.round(performance.now() - started)} ms`);
}
