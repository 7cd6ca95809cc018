import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkImports, importsOf } from "../../scripts/import-rules.ts";
import { tempTrees } from "../support/temp-tree.ts";

const REPO = join(import.meta.dirname, "../..");
const tree = tempTrees("tessera-imports-");

const SDK_IMPORT = 'import { defineBinder } from "../../widget-registry/sdk.ts";\n';

describe("the import-boundary lint", () => {
  it("passes on this repository", () => {
    expect(checkImports(REPO)).toEqual([]);
  });

  it("fails on a binder that imports compositor code, naming the file, line and rule", () => {
    const root = tree({
      "binders/rogue/binder.ts": `${SDK_IMPORT}import { createMetrics } from "../../compositor/metrics.ts";\n`,
    });
    expect(checkImports(root)).toEqual([
      {
        file: "binders/rogue/binder.ts",
        line: 2,
        specifier: "../../compositor/metrics.ts",
        rule: "a binder may import only the SDK (widget-registry/sdk.ts), generated protos (protos/gen/) and files of its own folder",
      },
    ]);
  });

  it("fails the CI command with exit code 1 and says why", () => {
    const root = tree({ "binders/rogue/binder.ts": 'import type { Metrics } from "../../compositor/metrics.ts";\n' });
    const result = spawnSync(process.execPath, [join(REPO, "scripts/check-imports.ts"), root], { encoding: "utf8" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('binders/rogue/binder.ts:1: imports "../../compositor/metrics.ts": a binder may import only the SDK');
  });

  it("allows the SDK, generated protos and the binder's own files", () => {
    const root = tree({
      "binders/good/binder.ts": [
        SDK_IMPORT,
        'import { TraySchema } from "../../protos/gen/tessera/widgets/v1/tray_pb.js";',
        'import { messages } from "./messages.ts";',
        'import { rank } from "./lib/rank.ts";',
        '// import { x } from "../../compositor/metrics.ts"; comments are not imports',
        "const text = \"import x from '../../compositor/metrics.ts'\";",
      ].join("\n"),
    });
    expect(checkImports(root)).toEqual([]);
  });

  it("catches every way of importing: type, re-export, dynamic, computed, require, other binders, packages", () => {
    const root = tree({
      "binders/sneaky/binder.ts": [
        'import type { PageCompositor } from "../../compositor/page-compositor.ts";',
        'export { runBinder } from "../../compositor/binder-runtime.ts";',
        'const hooks = await import("../../compositor/hooks.ts");',
        "const name = 'x'; const mod = await import(name);",
        'const fs = require("node:fs");',
        'import other from "../hero/binder.ts";',
        'import { Redis } from "ioredis";',
        'type T = import("../../dds/client.ts").DdsClient;',
      ].join("\n"),
    });
    expect(checkImports(root).map((violation) => `${violation.line} ${violation.specifier}`)).toEqual([
      "1 ../../compositor/page-compositor.ts",
      "2 ../../compositor/binder-runtime.ts",
      "3 ../../compositor/hooks.ts",
      "4 (computed)",
      "5 node:fs",
      "6 ../hero/binder.ts",
      "7 ioredis",
      "8 ../../dds/client.ts",
    ]);
  });

  it("keeps the rest of the architecture: nothing imports the compositor, only main imports binders, DDS, registry and Redis connections stay unaware, the dashboard and the reference client stay browser apps", () => {
    const root = tree({
      "layout-service/preview.ts": 'import { createPageCompositor } from "../compositor/page-compositor.ts";\n',
      "dashboard/src/app.tsx": 'import type { Page } from "../../compositor/page-compositor.ts";\nexport const App = () => <main />;\n',
      "dashboard/src/types.ts":
        'import type { PageLayout } from "../../layout-service/model.ts";\nimport type { Item } from "../../protos/gen/tessera/widgets/v1/item_pb.js";\nimport { h } from "preact";\nimport { diff } from "./diff.ts";\n',
      "layout-service/dashboard-routes.ts": 'import { DASHBOARD_DIST } from "../dashboard/paths.ts";\n',
      "layout-service/plugin.ts": 'import { buildDashboard } from "../dashboard/build.ts";\n',
      "app/src/api.ts":
        'import { ApiError } from "../../api/errors.ts";\nimport { fromBinary } from "@bufbuild/protobuf";\nimport { PageSchema } from "../../protos/gen/tessera/page/v1/page_pb.js";\nimport { el } from "./dom.ts";\n',
      "compositor/http/app-routes.ts": 'import { APP_DIST } from "../../app/paths.ts";\n',
      "compositor/http/app-build.ts": 'import { buildApp } from "../../app/build.ts";\n',
      "dds/content/widgets.ts": 'import { binders } from "../../binders/index.ts";\n',
      "compositor/main.ts": 'import { binders } from "../binders/index.ts";\n',
      "compositor/http/kit.ts": 'import { testBinder } from "../../widget-registry/testing.ts";\n',
      "widget-registry/testing/run.ts": 'import { runBinder } from "../../compositor/binder-runtime.ts";\n',
      "test/page.test.ts": 'import { buildServer } from "../compositor/server.ts";\n',
      "dds/content/badges.ts": 'import type { Binder } from "../../widget-registry/sdk.ts";\n',
      "widget-registry/lookup.ts": 'import { loadCatalog } from "../dds/catalog/films.ts";\n',
      "widget-registry/testing/fixtures.ts": 'import { loadCatalog } from "../../dds/catalog/films.ts";\n',
      "redis/keys.ts": 'import type { LayoutStore } from "../layout-service/store.ts";\n',
      "dds/user/redis-store.ts": 'import { redisKey } from "../../redis/keys.ts";\n',
    });
    expect(
      checkImports(root)
        .map((violation) => violation.file)
        .sort(),
    ).toEqual([
      "app/src/api.ts",
      "compositor/http/app-build.ts",
      "compositor/http/kit.ts",
      "dashboard/src/app.tsx",
      "dashboard/src/types.ts",
      "dds/content/badges.ts",
      "dds/content/widgets.ts",
      "layout-service/plugin.ts",
      "layout-service/preview.ts",
      "redis/keys.ts",
      "widget-registry/lookup.ts",
    ]);
  });

  it("reads imports with a real parser", () => {
    const refs = importsOf("x.ts", 'import a, { type B } from "./a.ts";\nexport * from "./b.ts";\nconst c = `import "./c.ts"`;\n');
    expect(refs).toEqual([
      { specifier: "./a.ts", line: 1 },
      { specifier: "./b.ts", line: 2 },
    ]);
  });
});
