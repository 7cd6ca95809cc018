/**
 * The Prometheus rules (deploy/prometheus) and the Grafana dashboard (deploy/grafana) name only
 * metrics Tessera exports, and every dashboard query is PromQL that Prometheus parses. The rules'
 * syntax and alert behaviour are checked by promtool in CI (.ci/run: `promtool check rules`,
 * `promtool test rules`).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../../bench/processes.ts";
import { createAdmission } from "../../compositor/admission/admission.ts";
import { loadConfig } from "../../compositor/config.ts";
import { PROMTOOL } from "../support/prometheus.ts";
import { unreachableRedis } from "../support/redis.ts";
import { startTessera } from "../support/tessera.ts";

const RULES_DIR = join(ROOT, "deploy/prometheus");
const DASHBOARD = join(ROOT, "deploy/grafana/tessera.json");

interface RuleFile {
  groups: { name: string; rules: { expr: string; record?: string; alert?: string }[] }[];
}

const ruleExprs = (): string[] =>
  readdirSync(RULES_DIR)
    .filter((name) => name.endsWith(".yml"))
    .flatMap((name) =>
      (parse(readFileSync(join(RULES_DIR, name), "utf8")) as RuleFile).groups.flatMap((group) => group.rules.map((rule) => rule.expr)),
    );

const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as { panels: { title: string; targets: { expr: string }[] }[] };
const dashboardExprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));

/** The metric names a query reads: plain names, and each `__name__=~"…"` as a pattern. */
function namesIn(expr: string): { names: string[]; patterns: RegExp[] } {
  const patterns = [...expr.matchAll(/__name__=~"([^"]+)"/g)].map((match) => new RegExp(`^(?:${match[1]})$`));
  const rest = expr.replace(/__name__=~"[^"]+"/g, "").replace(/"[^"]*"/g, '""');
  const names = [...rest.matchAll(/\b(?:tessera|nodejs|process)_[a-z0-9_]+\b/g)].map((match) => match[0]);
  return { names, patterns };
}

/** What a query names that `exported` lacks. */
function unknownNames(expr: string, exported: Set<string>): string[] {
  const { names, patterns } = namesIn(expr);
  return [
    ...names.filter((name) => !exported.has(name)),
    ...patterns.filter((pattern) => ![...exported].some((name) => pattern.test(name))).map(String),
  ];
}

let exported: Set<string>;
beforeAll(async () => {
  // Redis and admission given, so that their metrics are registered too.
  const redis = unreachableRedis();
  const admission = createAdmission(loadConfig({}).admission!);
  const { app } = await startTessera({ redis, admission });
  try {
    const text = (await app.inject({ url: "/metrics" })).body;
    exported = new Set(
      [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap(([, name, type]) =>
        type === "histogram" ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name!],
      ),
    );
  } finally {
    await app.close();
    admission.close();
    redis.disconnect();
  }
});

describe("Prometheus rules and the Grafana dashboard", () => {
  it("name only metrics Tessera exports", () => {
    expect(exported.has("tessera_pages_total")).toBe(true);
    const queries = [...ruleExprs(), ...dashboardExprs];
    expect(queries.length).toBeGreaterThan(20);
    expect(queries.flatMap((expr) => unknownNames(expr, exported).map((name) => `${name} in ${expr}`))).toEqual([]);
  });

  it("would catch a query of a metric Tessera does not export", () => {
    expect(unknownNames('sum(rate(tessera_page_requests_total{outcome="ok"}[5m]))', exported)).toEqual(["tessera_page_requests_total"]);
    expect(unknownNames('rate({__name__=~"tessera_widget_(errors|crashes)_total"}[5m])', exported)).toEqual([]);
    expect(unknownNames('rate({__name__=~"tessera_widget_crashes_total"}[5m])', exported)).toHaveLength(1);
  });

  describe("the dashboard's queries", () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-dashboard-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("all parse as PromQL (promtool check rules, each query as a recording rule)", async () => {
      const rules = { groups: [{ name: "dashboard", rules: dashboardExprs.map((expr, i) => ({ record: `dashboard:query_${i}`, expr })) }] };
      const file = join(dir, "dashboard-queries.yml");
      writeFileSync(file, JSON.stringify(rules));
      const { stdout } = await promisify(execFile)(PROMTOOL, ["check", "rules", file], { timeout: 30_000 });
      expect(stdout).toContain(`SUCCESS: ${dashboardExprs.length} rules found`);
    });

    it("a query that is not PromQL fails that check", async () => {
      const file = join(dir, "broken.yml");
      writeFileSync(
        file,
        JSON.stringify({
          groups: [{ name: "dashboard", rules: [{ record: "dashboard:broken", expr: "sum(rate(tessera_pages_total[5m])" }] }],
        }),
      );
      await expect(promisify(execFile)(PROMTOOL, ["check", "rules", file], { timeout: 30_000 })).rejects.toThrow(/parse error|unclosed/i);
    });
  });
});
