/**
 * Which cached entries show which entity (a title, a genre list): entity → base keys of a cache, so
 * that a content change drops exactly the entries built from that entity. Entries are forgotten when
 * their cache evicts them, so the index stays as bounded as the cache.
 */
export interface ShownIndex {
  /** Records that the entry under `base` shows `entities`. */
  add(base: string, entities: Iterable<string>): void;
  /** The cache no longer holds `base`. */
  forget(base: string): void;
  /** The base keys of the entries that show `entity`. */
  showing(entity: string): string[];
}

export function createShownIndex(): ShownIndex {
  const byEntity = new Map<string, Set<string>>();
  const byBase = new Map<string, Set<string>>();
  return {
    add(base, entities) {
      let shown = byBase.get(base);
      if (!shown) byBase.set(base, (shown = new Set()));
      for (const entity of entities) {
        if (shown.has(entity)) continue;
        shown.add(entity);
        let bases = byEntity.get(entity);
        if (!bases) byEntity.set(entity, (bases = new Set()));
        bases.add(base);
      }
    },
    forget(base) {
      const shown = byBase.get(base);
      if (!shown) return;
      byBase.delete(base);
      for (const entity of shown) {
        const bases = byEntity.get(entity)!;
        bases.delete(base);
        if (bases.size === 0) byEntity.delete(entity);
      }
    },
    showing: (entity) => [...(byEntity.get(entity) ?? [])],
  };
}
