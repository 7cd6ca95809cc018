import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { checkDeploy, checkDockerfile, checkManifests, readManifests } from "../../scripts/deploy-checks.ts";

const ROOT = join(import.meta.dirname, "../..");
const MANIFESTS = join(ROOT, "deploy/kubernetes");
const DOCKERFILE = readFileSync(join(ROOT, "Dockerfile"), "utf8");

/** A copy of the repository's deploy/ and Dockerfile with one file rewritten. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), "tessera-deploy-"));
  cpSync(join(ROOT, "deploy"), join(root, "deploy"), { recursive: true });
  writeFileSync(join(root, "Dockerfile"), DOCKERFILE);
  const path = join(root, file);
  const text = readFileSync(path, "utf8");
  const edited = edit(text);
  expect(edited).not.toBe(text);
  writeFileSync(path, edited);
  return root;
}

function lintDeploy(root: string) {
  const run = spawnSync(process.execPath, [join(ROOT, "scripts/check-deploy.ts"), root], { encoding: "utf8" });
  return { status: run.status, stderr: run.stderr };
}

describe("npm run lint:deploy", () => {
  it("passes the repository's manifests and Dockerfile", async () => {
    expect(await checkDeploy(ROOT)).toEqual([]);
  });

  it("fails on a manifest field of the wrong type, naming it", () => {
    const root = brokenCopy("deploy/kubernetes/deployment.yaml", (text) => text.replace("periodSeconds: 5", 'periodSeconds: "5"'));
    const { status, stderr } = lintDeploy(root);
    expect(status).toBe(1);
    expect(stderr).toContain(
      "deployment.yaml: Deployment tessera: /spec/template/spec/containers/0/readinessProbe/periodSeconds: must be integer",
    );
  });

  it("fails on a field the schema does not have (a typo)", async () => {
    const root = brokenCopy("deploy/kubernetes/deployment.yaml", (text) =>
      text.replace("readOnlyRootFilesystem:", "readOnlyRootFileSystem:"),
    );
    expect(await checkManifests(join(root, "deploy/kubernetes"))).toEqual([
      "deployment.yaml: Deployment tessera: /spec/template/spec/containers/0/securityContext/readOnlyRootFileSystem: unknown field",
    ]);
  });

  it("fails on a missing required field and on a kind it has no schema for", async () => {
    const root = brokenCopy("deploy/kubernetes/hpa.yaml", (text) =>
      text.replace("maxReplicas: 20", "").replace("autoscaling/v2", "autoscaling/v2beta9"),
    );
    const problems = await checkManifests(join(root, "deploy/kubernetes"));
    expect(problems[0]).toMatch(/^hpa\.yaml: HorizontalPodAutoscaler tessera: no schema for apiVersion autoscaling\/v2beta9/);
    const fixed = brokenCopy("deploy/kubernetes/hpa.yaml", (text) => text.replace("maxReplicas: 20", ""));
    expect(await checkManifests(join(fixed, "deploy/kubernetes"))).toEqual([
      "hpa.yaml: HorizontalPodAutoscaler tessera: /spec: missing required field maxReplicas",
    ]);
  });

  it("fails on references the schemas cannot see: a port name, a ConfigMap, a resource of the Kustomization", async () => {
    const port = brokenCopy("deploy/kubernetes/service.yaml", (text) => text.replace("targetPort: grpc", "targetPort: grcp"));
    expect(await checkManifests(join(port, "deploy/kubernetes"))).toEqual([
      "service.yaml: Service tessera: targetPort grcp is no container port",
    ]);
    const config = brokenCopy("deploy/kubernetes/configmap.yaml", (text) => text.replace("name: tessera-config", "name: tessera-settings"));
    expect(await checkManifests(join(config, "deploy/kubernetes"))).toEqual([
      "deployment.yaml: Deployment tessera: no ConfigMap tessera-config",
    ]);
    const listed = brokenCopy("deploy/kubernetes/kustomization.yaml", (text) => text.replace("  - pdb.yaml\n", ""));
    expect(await checkManifests(join(listed, "deploy/kubernetes"))).toEqual(["kustomization.yaml: pdb.yaml is not among its resources"]);
  });

  it("fails on a Dockerfile the linter refuses, or whose image would run as root", () => {
    const root = brokenCopy("Dockerfile", (text) => text.replace("COPY --from=build", "COPY --frm=build"));
    const { status, stderr } = lintDeploy(root);
    expect(status).toBe(1);
    expect(stderr).toMatch(/Dockerfile:\d+: Unknown flag: frm/);
    expect(checkDockerfile(DOCKERFILE.replace("USER node", "USER root"))).toEqual([
      "Dockerfile: the runtime stage must run as a user other than root",
    ]);
  });
});

describe("the deployment follows the server", () => {
  const manifests = readManifests(MANIFESTS).manifests;
  const config = manifests.find((m) => m.kind === "ConfigMap")!.body.data as Record<string, string>;
  const deployment = manifests.find((m) => m.kind === "Deployment")!.body as any;
  const container = deployment.spec.template.spec.containers[0];

  it("sets every variable compositor/config.ts reads, in the ConfigMap or from a Secret", () => {
    const read = [...readFileSync(join(ROOT, "compositor/config.ts"), "utf8").matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map(
      (match) => match[1]!,
    );
    const fromSecrets = container.env.map((variable: { name: string }) => variable.name);
    // JWT_SECRET (HS256) is for development: production verifies RS256/ES256 tokens with the identity provider's keys.
    const missing = [...new Set(read)].filter((name) => !(name in config) && !fromSecrets.includes(name) && name !== "JWT_SECRET");
    expect(missing).toEqual([]);
  });

  it("runs the image's Node: the version package-lock.json pins for the tests", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    expect(DOCKERFILE).toContain(`ARG NODE_VERSION=${lock.packages["node_modules/node"].version}\n`);
  });

  it("stops sending traffic before the server drains, and drains within the grace period", () => {
    const preStopSeconds = Number(container.lifecycle.preStop.exec.command[1]);
    expect(preStopSeconds).toBeGreaterThan(0);
    const drainSeconds = Number(config.DRAIN_TIMEOUT_MS) / 1000;
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(preStopSeconds + drainSeconds);
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
  });

  it("keeps the Secret template free of keys", () => {
    const secrets = parseAllDocuments(readFileSync(join(MANIFESTS, "secret.template.yaml"), "utf8")).map((d) => d.toJS());
    for (const secret of secrets) {
      for (const value of Object.values(secret.stringData as Record<string, string>)) expect(value).toMatch(/^(REPLACE-[A-Z-]+)?$/);
    }
  });
});
