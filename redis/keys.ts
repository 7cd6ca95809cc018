/**
 * Key names: every key starts with `tessera:`. On a Redis Cluster a script, MULTI or pipeline may
 * only use keys of one slot; keys that hold the same hash tag (`{…}`, the first braces of the name)
 * are in the same slot, so keys used together share one.
 */

export const redisKey = (...parts: string[]): string => ["tessera", ...parts].join(":");

/** A hash tag: the part of a key that decides its slot. */
export const hashTag = (value: string): string => `{${value}}`;
