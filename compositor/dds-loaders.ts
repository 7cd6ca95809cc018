/**
 * A request's loaders, one per DDS method of the table (dds-methods.ts): each batch of keys goes
 * out when the wave scheduler says the wave is complete, as one call of the method's RPC, and
 * every call is reported to the hooks.
 */
import type { CallOptions } from "@connectrpc/connect";
import type { DdsClient, DdsName } from "../dds/client.ts";
import type { CompositorHooks } from "./hooks.ts";
import { KeyBatcher } from "./key-batcher.ts";
import { traceDdsCall } from "./telemetry/dds-spans.ts";
import { activeContext, tracingEnabled } from "./telemetry/tracing.ts";
import { DDS_METHOD_NAMES, DDS_METHODS, type DdsMethodName, type DdsRequestScope, type DdsResponse, type DdsValue } from "./dds-methods.ts";
import type { WaveScheduler } from "./wave-scheduler.ts";

export type DdsLoaders = { [Name in DdsMethodName]: KeyBatcher<DdsValue<Name>> };

/** Per method, what the facade learns from a response beyond its key → value entries. */
export type DdsResponseObservers = { [Name in DdsMethodName]?: (response: DdsResponse<Name>) => void };

/** A table entry as the loader uses it, whatever its DDS and message types. */
interface AnyDdsMethod {
  dds: DdsName;
  rpc: string;
  request(keys: string[], scope: DdsRequestScope): unknown;
  items(response: unknown): readonly unknown[];
  key(item: unknown): string;
  value(item: unknown): unknown;
}

type Rpcs = Record<string, (request: unknown, options?: CallOptions) => Promise<unknown>>;

/** `callOptions`: what every call of the request is made with (none in process). */
export function createDdsLoaders(
  client: DdsClient,
  scope: DdsRequestScope,
  scheduler: WaveScheduler,
  hooks: CompositorHooks,
  observers: DdsResponseObservers = {},
  callOptions?: CallOptions,
): DdsLoaders {
  // A batch goes out from whichever binder completed the wave: its span belongs to the composition's context, taken now.
  const traceParent = tracingEnabled ? activeContext() : undefined;

  function loader(name: DdsMethodName): KeyBatcher<unknown> {
    const method = DDS_METHODS[name] as unknown as AnyDdsMethod;
    const observe = observers[name] as ((response: unknown) => void) | undefined;
    const { dds, rpc } = method;
    const call = async (keys: readonly string[]) => {
      const response = await (client[dds] as unknown as Rpcs)[rpc]!(method.request([...keys], scope), callOptions);
      observe?.(response);
      const found = new Map<string, unknown>();
      for (const item of method.items(response)) found.set(method.key(item), method.value(item));
      return found;
    };
    return new KeyBatcher<unknown>(async (keys) => {
      const started = performance.now();
      let failed = false;
      try {
        return await scheduler.track(
          traceParent ? () => traceDdsCall(traceParent, dds, rpc, keys.length, () => call(keys)) : () => call(keys),
        );
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        hooks.ddsCall?.({ ctx: scope.ctx, dds, method: rpc, batchSize: keys.length, durationMs: performance.now() - started, failed });
      }
    }, scheduler.schedule);
  }

  return new RequestLoaders(loader) as unknown as DdsLoaders;
}

/** Built by a constructor, so that V8 keeps the loaders inside the object rather than in a separate, growing store. */
class RequestLoaders {
  constructor(loader: (name: DdsMethodName) => KeyBatcher<unknown>) {
    const loaders = this as unknown as Record<DdsMethodName, KeyBatcher<unknown>>;
    for (const name of DDS_METHOD_NAMES) loaders[name] = loader(name);
  }
}
