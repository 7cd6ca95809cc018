/** Deterministic pseudo-random numbers, so demo data is the same on every machine. */

/** FNV-1a hash of a string, as a 32-bit seed. */
export function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: a small, fast generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks `count` distinct items, each with a chance proportional to its weight. */
export function weightedSample<T>(items: readonly T[], weight: (item: T) => number, count: number, random: () => number): T[] {
  const pool = items.map((item) => ({ item, weight: Math.max(weight(item), 0) }));
  let total = pool.reduce((sum, entry) => sum + entry.weight, 0);
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) {
    let target = random() * total;
    let index = 0;
    while (index < pool.length - 1 && target >= pool[index]!.weight) {
      target -= pool[index]!.weight;
      index++;
    }
    const [entry] = pool.splice(index, 1);
    total -= entry!.weight;
    picked.push(entry!.item);
  }
  return picked;
}
