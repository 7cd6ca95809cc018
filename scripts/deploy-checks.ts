/**
 * Offline checks of the deployment (`npm run lint:deploy`): the Kubernetes manifests of
 * deploy/kubernetes against the Kubernetes API's JSON schemas (kubernetes-models' validators), with
 * unknown fields refused as the API server's strict field validation does, and the references
 * between them; the Dockerfile through dockerfile-utils' linter and the rules the image must keep.
 */
import { validate as lintDockerfile } from "dockerfile-utils";
import { DockerfileParser } from "dockerfile-ast";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parseAllDocuments } from "yaml";

interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}
type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** The kinds deploy/ may hold, by `apiVersion/kind`: each one's validator, generated from the Kubernetes OpenAPI. */
const SCHEMAS: Record<string, () => Promise<{ validate: Validate }>> = {
  "v1/ConfigMap": () => import("kubernetes-models/_schemas/IoK8sApiCoreV1ConfigMap"),
  "v1/Secret": () => import("kubernetes-models/_schemas/IoK8sApiCoreV1Secret"),
  "v1/Service": () => import("kubernetes-models/_schemas/IoK8sApiCoreV1Service"),
  "apps/v1/Deployment": () => import("kubernetes-models/_schemas/IoK8sApiAppsV1Deployment"),
  "autoscaling/v2/HorizontalPodAutoscaler": () => import("kubernetes-models/_schemas/IoK8sApiAutoscalingV2HorizontalPodAutoscaler"),
  "policy/v1/PodDisruptionBudget": () => import("kubernetes-models/_schemas/IoK8sApiPolicyV1PodDisruptionBudget"),
};

export interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  name: string;
  body: Record<string, unknown>;
}

type Json = Record<string, any>;

function describeError(error: SchemaError): string {
  const at = error.instancePath || "/";
  if (error.keyword === "required") return `${at}: missing required field ${String(error.params.missingProperty)}`;
  if (error.keyword === "type") return `${at}: must be ${String(error.params.type)}`;
  if (error.keyword === "enum") return `${at}: must be one of ${JSON.stringify(error.params.allowedValues)}`;
  return `${at}: fails ${error.keyword} ${JSON.stringify(error.params)}`;
}

/**
 * The generated validators read every field their schema knows (and every entry of a map), so a
 * field of the document that the validator never read is one the schema does not have: a typo, or
 * a field of another API version.
 */
function unknownFields(document: unknown, validate: Validate): string[] {
  const read = new Set<string>();
  const track = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== "object") return value;
    return new Proxy(value, {
      get(target, key, receiver) {
        const child = Reflect.get(target, key, receiver);
        if (typeof key !== "string" || (Array.isArray(target) && !/^\d+$/.test(key))) return child;
        read.add(`${path}/${key}`);
        return track(child, `${path}/${key}`);
      },
    });
  };
  validate(track(document, ""));
  const unknown: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value === null || typeof value !== "object") return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key}`;
      if (!Array.isArray(value) && !read.has(childPath)) unknown.push(`${childPath}: unknown field`);
      else walk(child, childPath);
    }
  };
  walk(document, "");
  return unknown;
}

export async function validateManifest(body: unknown): Promise<string[]> {
  const { apiVersion, kind } = (body ?? {}) as Json;
  const load = SCHEMAS[`${apiVersion}/${kind}`];
  if (!load) return [`no schema for apiVersion ${String(apiVersion)} kind ${String(kind)} (known: ${Object.keys(SCHEMAS).join(", ")})`];
  const { validate } = await load();
  if (!validate(body)) return (validate.errors ?? []).map(describeError);
  return unknownFields(body, validate);
}

/** Every document of every YAML file in the folder but the Kustomization. */
export function readManifests(dir: string): { manifests: Manifest[]; problems: string[] } {
  const manifests: Manifest[] = [];
  const problems: string[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name) && name !== "kustomization.yaml")
    .sort()) {
    for (const document of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
      if (document.errors.length > 0) {
        problems.push(...document.errors.map((error) => `${file}: ${error.message}`));
        continue;
      }
      const body = document.toJS() as Json | null;
      if (body === null) continue;
      manifests.push({ file, apiVersion: body.apiVersion, kind: body.kind, name: body.metadata?.name, body });
    }
  }
  return { manifests, problems };
}

function podLabelsMatch(selector: Json | undefined, labels: Json | undefined): boolean {
  const wanted = Object.entries((selector?.matchLabels ?? selector ?? {}) as Json);
  return wanted.length > 0 && wanted.every(([key, value]) => labels?.[key] === value);
}

/** What the schemas cannot see: names that must point at an object of the manifests, labels that must select the pods. */
export function checkReferences(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const named = (kind: string, name: string | undefined) => manifests.some((m) => m.kind === kind && m.name === name);
  const where = (m: Manifest) => `${m.file}: ${m.kind} ${m.name}`;
  const deployments = manifests.filter((m) => m.kind === "Deployment");
  for (const deployment of deployments) {
    const spec = deployment.body.spec as Json;
    const pod = spec.template?.spec as Json;
    if (!podLabelsMatch(spec.selector, spec.template?.metadata?.labels))
      problems.push(`${where(deployment)}: selector does not select its pod template`);
    const containers = (pod?.containers ?? []) as Json[];
    const portNames = new Set(containers.flatMap((c) => (c.ports ?? []).map((p: Json) => p.name)));
    for (const container of containers) {
      for (const source of container.envFrom ?? []) {
        if (source.configMapRef && !named("ConfigMap", source.configMapRef.name))
          problems.push(`${where(deployment)}: no ConfigMap ${source.configMapRef.name}`);
        if (source.secretRef && !named("Secret", source.secretRef.name))
          problems.push(`${where(deployment)}: no Secret ${source.secretRef.name}`);
      }
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
        const kind = variable.valueFrom?.secretKeyRef ? "Secret" : "ConfigMap";
        if (ref && !named(kind, ref.name)) problems.push(`${where(deployment)}: env ${variable.name} names no ${kind} ${ref.name}`);
      }
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        const port = container[probe]?.httpGet?.port;
        if (typeof port === "string" && !portNames.has(port))
          problems.push(`${where(deployment)}: ${probe} port ${port} is no container port`);
      }
      const volumes = new Set(((pod.volumes ?? []) as Json[]).map((v) => v.name));
      for (const mount of container.volumeMounts ?? []) {
        if (!volumes.has(mount.name)) problems.push(`${where(deployment)}: mount ${mount.name} names no volume`);
      }
    }
    for (const volume of pod?.volumes ?? []) {
      if (volume.secret && !named("Secret", volume.secret.secretName))
        problems.push(`${where(deployment)}: volume ${volume.name} names no Secret ${volume.secret.secretName}`);
      if (volume.configMap && !named("ConfigMap", volume.configMap.name))
        problems.push(`${where(deployment)}: volume ${volume.name} names no ConfigMap ${volume.configMap.name}`);
    }
  }
  const podsOf = (selector: Json | undefined) =>
    deployments.filter((d) => podLabelsMatch(selector, (d.body.spec as Json).template?.metadata?.labels));
  for (const m of manifests) {
    const spec = m.body.spec as Json;
    if (m.kind === "Service") {
      const pods = podsOf(spec.selector);
      if (pods.length === 0) problems.push(`${where(m)}: selects no Deployment's pods`);
      const portNames = new Set(
        pods.flatMap((d) =>
          ((d.body.spec as Json).template.spec.containers as Json[]).flatMap((c) => (c.ports ?? []).map((p: Json) => p.name)),
        ),
      );
      for (const port of spec.ports ?? []) {
        if (typeof port.targetPort === "string" && !portNames.has(port.targetPort))
          problems.push(`${where(m)}: targetPort ${port.targetPort} is no container port`);
      }
    }
    if (m.kind === "PodDisruptionBudget" && podsOf(spec.selector).length === 0) problems.push(`${where(m)}: selects no Deployment's pods`);
    if (m.kind === "HorizontalPodAutoscaler" && !named(spec.scaleTargetRef?.kind, spec.scaleTargetRef?.name)) {
      problems.push(`${where(m)}: scales no ${spec.scaleTargetRef?.kind} ${spec.scaleTargetRef?.name}`);
    }
  }
  return problems;
}

/** Every resource the Kustomization lists exists; every manifest file but the Secret templates is listed. */
export function checkKustomization(dir: string): string[] {
  const file = join(dir, "kustomization.yaml");
  if (!existsSync(file)) return [`${dir}: no kustomization.yaml`];
  const { resources = [] } = parseAllDocuments(readFileSync(file, "utf8"))[0]?.toJS() as { resources?: string[] };
  const problems = resources
    .filter((resource) => !existsSync(join(dir, resource)))
    .map((resource) => `kustomization.yaml: no resource ${resource}`);
  for (const name of readdirSync(dir)) {
    if (/\.ya?ml$/.test(name) && name !== "kustomization.yaml" && !name.includes(".template.") && !resources.includes(name)) {
      problems.push(`kustomization.yaml: ${name} is not among its resources`);
    }
  }
  return problems;
}

export async function checkManifests(dir: string): Promise<string[]> {
  const { manifests, problems } = readManifests(dir);
  for (const manifest of manifests) {
    for (const problem of await validateManifest(manifest.body))
      problems.push(`${manifest.file}: ${manifest.kind} ${manifest.name ?? "(no name)"}: ${problem}`);
  }
  return [...problems, ...checkReferences(manifests), ...checkKustomization(dir)];
}

/** The stage the image runs: the Dockerfile's last. */
export function runtimeStage(text: string) {
  const instructions = DockerfileParser.parse(text).getInstructions();
  const from =
    instructions
      .map((instruction, index) => (instruction.getKeyword() === "FROM" ? index : -1))
      .filter((index) => index >= 0)
      .at(-1) ?? 0;
  return instructions.slice(from);
}

/** The command of a JSON-form instruction (CMD, HEALTHCHECK CMD) as its argument list. */
export function jsonCommand(argumentsContent: string): string[] | undefined {
  const json = argumentsContent.slice(argumentsContent.indexOf("["));
  try {
    return JSON.parse(json) as string[];
  } catch {
    return undefined;
  }
}

export function checkDockerfile(text: string, file = "Dockerfile"): string[] {
  const problems = lintDockerfile(text).map((d) => `${file}:${d.range.start.line + 1}: ${d.message}`);
  const stage = runtimeStage(text);
  const last = (keyword: string) => stage.filter((instruction) => instruction.getKeyword() === keyword).at(-1);
  const user = last("USER")?.getArgumentsContent();
  if (!user || user === "root" || user.startsWith("0")) problems.push(`${file}: the runtime stage must run as a user other than root`);
  const healthcheck = last("HEALTHCHECK")?.getArgumentsContent() ?? "";
  if (!healthcheck.includes("/healthz")) problems.push(`${file}: the runtime stage needs a HEALTHCHECK on /healthz`);
  const cmd = jsonCommand(last("CMD")?.getArgumentsContent() ?? "");
  if (cmd?.join(" ") !== "node compositor/main.ts")
    problems.push(`${file}: the runtime stage must run ["node", "compositor/main.ts"] (exec form: SIGTERM reaches the server)`);
  return problems;
}

export async function checkDeploy(root: string): Promise<string[]> {
  const dockerfile = join(root, "Dockerfile");
  return [
    ...(await checkManifests(join(root, "deploy/kubernetes"))),
    ...checkDockerfile(readFileSync(dockerfile, "utf8"), basename(dockerfile)),
  ];
}
