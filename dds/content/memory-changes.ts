/** The content-change stream in process: for a single instance without Redis (`npm start`). */
import type { Catalog } from "../catalog/films.ts";
import { patchOf, type ContentChanges, type ContentUpdate, type EntityState, type UpdateHandler } from "./changes.ts";

export function createMemoryContentChanges(catalog: Catalog): ContentChanges {
  const states = new Map<string, ContentUpdate>();
  const handlers: UpdateHandler[] = [];
  let seq = 0;
  return {
    async publish(change) {
      const { entity, patch } = patchOf(change, catalog);
      const state = { ...states.get(entity)?.state, ...patch } as EntityState;
      const update = { seq: ++seq, entity, state };
      states.set(entity, update);
      for (const handler of handlers) handler(update);
      return update;
    },
    async follow(handler) {
      for (const update of states.values()) handler(update);
      handlers.push(handler);
    },
    async close() {
      handlers.length = 0;
    },
  };
}
