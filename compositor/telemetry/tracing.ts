/**
 * Tracing's switch and the tracer every span site uses. Off unless the standard `OTEL_*` variables ask
 * for traces: then the SDK (sdk.ts) is imported, and not before, so a compositor without them loads no
 * SDK and every span site costs one boolean check (`tracingEnabled`).
 */
import { context, trace, type Context } from "@opentelemetry/api";

/** The tracer of every span of the compositor; a no-op until the SDK is registered. */
export const tracer = trace.getTracer("tessera");

/** True once the SDK is registered: span sites check it before doing anything. */
export let tracingEnabled = false;

export interface Tracing {
  /** Exports the spans still buffered, then stops exporting. */
  shutdown(): Promise<void>;
}

/**
 * Whether the environment asks for traces: an OTLP endpoint is set, or `OTEL_TRACES_EXPORTER=otlp`
 * (its default endpoint); never with `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. Throws
 * when it asks for what is not here (another exporter, OTLP over gRPC or JSON) rather than trace nowhere.
 */
export function tracingWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? "")
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (exporters.includes("none")) return false;
  const unsupported = exporters.filter((name) => name !== "otlp");
  if (unsupported.length > 0) throw new Error(`OTEL_TRACES_EXPORTER: only "otlp" or "none" is supported, not "${unsupported.join(",")}"`);
  const wanted = exporters.length > 0 || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || "http/protobuf").trim();
  if (wanted && protocol !== "http/protobuf")
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL: only "http/protobuf" is supported, not "${protocol}"`);
  return wanted;
}

/**
 * Registers the SDK when `env` asks for traces; undefined (nothing loaded) when it does not. The SDK's
 * parts read their settings from process.env.
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<Tracing | undefined> {
  if (!tracingWanted(env)) return undefined;
  const { registerSdk } = await import("./sdk.ts");
  const tracing = registerSdk();
  tracingEnabled = true;
  return tracing;
}

/** The active context, for spans started later under it (a DDS batch belongs to the composition, not to the binder that completed it). */
export function activeContext(): Context {
  return context.active();
}
