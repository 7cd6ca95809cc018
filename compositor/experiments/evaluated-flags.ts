/**
 * Every flag's value per LaunchDarkly context, kept until any flag or segment changes. Evaluating all
 * flags is a pure function of the flag data and the context, and costs about as much as the rest of
 * an anonymous cache hit; a user's next page, and every anonymous caller of a persona, reuse it.
 */
import { LRUCache } from "lru-cache";
import type { LDContext } from "@launchdarkly/node-server-sdk";

export type FlagValues = Readonly<Record<string, unknown>>;

export class EvaluatedFlags {
  readonly #values: LRUCache<string, FlagValues>;
  /** Bumped by every change: an evaluation that began before one is not kept. */
  #generation = 0;

  constructor(maxContexts: number) {
    this.#values = new LRUCache({ max: maxContexts });
  }

  /** Forgets every context's values: a flag or segment changed. */
  changed(): void {
    this.#generation++;
    this.#values.clear();
  }

  /** The context's values, evaluated by `evaluate` unless kept; `undefined` from it (flags not loaded) is not kept. */
  async valuesFor(context: LDContext, evaluate: () => Promise<FlagValues | undefined>): Promise<FlagValues> {
    const key = JSON.stringify(context);
    const kept = this.#values.get(key);
    if (kept) return kept;
    const generation = this.#generation;
    const values = await evaluate();
    if (values === undefined) return {};
    if (generation === this.#generation) this.#values.set(key, values);
    return values;
  }
}
