import { describe, expect, it } from "vitest";
import { KeyBatcher } from "../../compositor/key-batcher.ts";

/** A batcher over a table, dispatched when the test says, recording the batches it sends. */
function tableBatcher(table: Record<string, number>, fail?: (keys: string[]) => Error | undefined) {
  const batches: string[][] = [];
  const pending: Array<() => void> = [];
  const batcher = new KeyBatcher<number>(
    async (keys) => {
      batches.push([...keys]);
      const error = fail?.(keys);
      if (error) throw error;
      return new Map(keys.filter((key) => key in table).map((key) => [key, table[key]!]));
    },
    (dispatch) => pending.push(dispatch),
  );
  const dispatch = () => pending.splice(0).forEach((go) => go());
  return { batcher, batches, dispatch, scheduled: () => pending.length };
}

describe("KeyBatcher", () => {
  it("sends every key asked for before the dispatch in one batch, each key once, and answers each call in its order", async () => {
    const { batcher, batches, dispatch } = tableBatcher({ a: 1, b: 2, c: 3 });
    const first = batcher.loadMany(["a", "b"]);
    const second = batcher.loadMany(["c", "a", "x"]);
    const one = batcher.load("b");
    dispatch();
    expect(await first).toEqual([1, 2]);
    expect(await second).toEqual([3, 1, undefined]);
    expect(await one).toBe(2);
    expect(batches).toEqual([["a", "b", "c", "x"]]);
  });

  it("answers keys it already has without a batch, and asks only for new ones in the next", async () => {
    const { batcher, batches, dispatch, scheduled } = tableBatcher({ a: 1, b: 2 });
    const first = batcher.loadMany(["a"]);
    dispatch();
    await first;
    expect(await batcher.loadMany(["a"])).toEqual([1]);
    expect(scheduled()).toBe(0);
    const mixed = batcher.loadMany(["a", "b"]);
    dispatch();
    expect(await mixed).toEqual([1, 2]);
    expect(batches).toEqual([["a"], ["b"]]);
  });

  it("gives a failed batch's error for each of its keys, rejects a load with it, and asks for those keys again next time", async () => {
    const failure = new Error("DDS down");
    let failing = true;
    const { batcher, batches, dispatch } = tableBatcher({ a: 1, b: 2 }, () => (failing ? failure : undefined));
    const many = batcher.loadMany(["a", "b"]);
    const one = batcher.load("a");
    dispatch();
    expect(await many).toEqual([failure, failure]);
    await expect(one).rejects.toBe(failure);
    failing = false;
    const again = batcher.loadMany(["a"]);
    dispatch();
    expect(await again).toEqual([1]);
    expect(batches).toEqual([["a", "b"], ["a"]]);
  });

  it("waits for a key already in flight rather than asking for it again", async () => {
    const { batcher, batches, dispatch } = tableBatcher({ a: 1, b: 2 });
    const first = batcher.loadMany(["a"]);
    dispatch();
    const second = batcher.loadMany(["a", "b"]);
    dispatch();
    expect(await Promise.all([first, second])).toEqual([[1], [1, 2]]);
    expect(batches).toEqual([["a"], ["b"]]);
  });
});
