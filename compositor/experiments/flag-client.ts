/**
 * Feature flags from LaunchDarkly's server SDK. With an SDK key it connects to LaunchDarkly; without
 * one it runs offline from a flags file through the SDK's file data source (the embedded default).
 * Every request's flags are evaluated once, up front, so that reading them is synchronous.
 */
import { basicLogger, init, integrations, type LDLogger, type LDOptions } from "@launchdarkly/node-server-sdk";
import { fileURLToPath } from "node:url";
import type { Flags, RequestContext } from "../../widget-registry/context.ts";
import { EvaluatedFlags } from "./evaluated-flags.ts";
import { ldContextOf } from "./ld-context.ts";
import { flagsOf } from "./request-flags.ts";

export const SHIPPED_FLAGS_FILE = fileURLToPath(new URL("../../flags/flags.json", import.meta.url));

export interface FlagClientOptions {
  /** Connects to LaunchDarkly with this key; flags come from `file` without one. */
  sdkKey?: string;
  /** A LaunchDarkly flags file (JSON, the SDK's file data source format). */
  file?: string;
  /** Any data source of the SDK instead, e.g. `TestData` in tests. */
  dataSource?: LDOptions["updateProcessor"];
  initTimeoutSeconds?: number;
  logger?: LDLogger;
  /** More SDK options, e.g. a Relay Proxy's `baseUri`, `streamUri` and `eventsUri`. */
  sdkOptions?: LDOptions;
  /** How many contexts' flag values are kept between their requests (default 10,000). */
  maxKeptContexts?: number;
}

export interface FlagClient {
  /** Where the flags come from, for the logs: "launchdarkly", a file path, or "custom". */
  source: string;
  flagsFor(ctx: RequestContext): Promise<Flags>;
  /** False while LaunchDarkly has not been reached since start: every flag reads as its fallback. */
  initialized(): boolean;
  close(): void;
}

export async function startFlagClient(options: FlagClientOptions = {}): Promise<FlagClient> {
  const logger = options.logger ?? basicLogger({ level: "warn" });
  const file = options.file ?? SHIPPED_FLAGS_FILE;
  const online = options.sdkKey !== undefined && options.dataSource === undefined;
  // offline: true would turn the file data source off too; not sending events keeps it off the network.
  const ldOptions: LDOptions = online
    ? { logger, ...options.sdkOptions }
    : {
        logger,
        ...options.sdkOptions,
        sendEvents: false,
        diagnosticOptOut: true,
        updateProcessor: options.dataSource ?? new integrations.FileDataSourceFactory({ paths: [file] }).getFactory(),
      };
  const client = init(options.sdkKey ?? "offline", ldOptions);
  try {
    await client.waitForInitialization({ timeout: options.initTimeoutSeconds ?? 5 });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (!online) {
      client.close();
      throw new Error(`feature flags from ${options.dataSource ? "the data source" : file} failed to load: ${reason}`);
    }
    // The SDK keeps trying; until it connects, every flag reads as its fallback.
    logger.warn(`LaunchDarkly is not reachable yet (${reason}); flags read as their fallbacks until it is`);
  }

  const evaluated = new EvaluatedFlags(options.maxKeptContexts ?? 10_000);
  // The SDK announces every changed flag or segment, and every flag that depends on a changed segment.
  client.on("update", () => evaluated.changed());

  return {
    source: online ? "launchdarkly" : options.dataSource ? "custom" : file,
    async flagsFor(ctx) {
      const context = ldContextOf(ctx);
      const values = await evaluated.valuesFor(context, async () => {
        const state = await client.allFlagsState(context);
        return state.valid ? state.allValues() : undefined;
      });
      // allFlagsState records no evaluation; LaunchDarkly's experiment results need one per flag read.
      const recordRead = online ? (flag: string) => void client.variation(flag, context, null).catch(() => {}) : undefined;
      return flagsOf(values, recordRead);
    },
    initialized: () => client.initialized(),
    close: () => client.close(),
  };
}
