/**
 * Demo user data, generated from the user id so every machine shows the same pages:
 * 20 titles in progress (1-99 %) and 12 favorites.
 */
import { loadCatalog } from "../catalog/films.ts";
import { hashSeed, seededRandom } from "../catalog/prng.ts";
import type { UserData } from "./store.ts";

const HISTORY_SIZE = 20;
const FAVORITES_SIZE = 12;
/** Seeded history is dated in the hour before this instant, most recent first. */
const SEED_EPOCH_MS = Date.UTC(2026, 0, 1);

export function seedUserData(userId: string): UserData {
  const { films } = loadCatalog();
  const random = seededRandom(hashSeed(`user:${userId}`));
  const picked = new Set<string>();
  const pick = () => {
    let id: string;
    do id = films[Math.floor(random() * films.length)]!.id;
    while (picked.has(id));
    picked.add(id);
    return id;
  };
  const history = Array.from({ length: HISTORY_SIZE }, (_, i) => ({
    contentId: pick(),
    progressPercent: 1 + Math.floor(random() * 99),
    updatedAtMs: SEED_EPOCH_MS - i * 60_000,
  }));
  const favorites = Array.from({ length: FAVORITES_SIZE }, pick);
  return { history, favorites };
}
