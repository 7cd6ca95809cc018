import { describe, expect, it } from "vitest";
import { EvaluatedFlags, type FlagValues } from "../../compositor/experiments/evaluated-flags.ts";

/** An evaluation that counts its calls and answers `values`. */
function counting(values: FlagValues | undefined) {
  const evaluate = async () => {
    evaluate.calls++;
    return values;
  };
  evaluate.calls = 0;
  return evaluate;
}

const user = (key: string) => ({ kind: "user", key, platform: "web" });

describe("flag values kept per LaunchDarkly context", () => {
  it("evaluates a context once, and another context (any attribute apart) on its own", async () => {
    const evaluated = new EvaluatedFlags(10);
    const evaluate = counting({ "home-hero": "hero-v2" });
    expect(await evaluated.valuesFor(user("u1"), evaluate)).toEqual({ "home-hero": "hero-v2" });
    expect(await evaluated.valuesFor(user("u1"), evaluate)).toEqual({ "home-hero": "hero-v2" });
    expect(evaluate.calls).toBe(1);
    await evaluated.valuesFor({ ...user("u1"), platform: "ios" }, evaluate);
    await evaluated.valuesFor(user("u2"), evaluate);
    expect(evaluate.calls).toBe(3);
  });

  it("evaluates again after a change", async () => {
    const evaluated = new EvaluatedFlags(10);
    await evaluated.valuesFor(user("u1"), counting({ "home-hero": "control" }));
    evaluated.changed();
    expect(await evaluated.valuesFor(user("u1"), counting({ "home-hero": "hero-v2" }))).toEqual({ "home-hero": "hero-v2" });
  });

  it("does not keep an evaluation that began before a change", async () => {
    const evaluated = new EvaluatedFlags(10);
    let finish!: (values: FlagValues) => void;
    const pending = evaluated.valuesFor(user("u1"), () => new Promise((resolve) => (finish = resolve)));
    evaluated.changed();
    finish({ "home-hero": "control" });
    expect(await pending).toEqual({ "home-hero": "control" });
    expect(await evaluated.valuesFor(user("u1"), counting({ "home-hero": "hero-v2" }))).toEqual({ "home-hero": "hero-v2" });
  });

  it("keeps nothing while flags are not loaded: every flag reads as its fallback until they are", async () => {
    const evaluated = new EvaluatedFlags(10);
    expect(await evaluated.valuesFor(user("u1"), counting(undefined))).toEqual({});
    expect(await evaluated.valuesFor(user("u1"), counting({ "home-hero": "hero-v2" }))).toEqual({ "home-hero": "hero-v2" });
  });

  it("keeps at most the contexts it is given, the least recently used leaving first", async () => {
    const evaluated = new EvaluatedFlags(2);
    const evaluate = counting({});
    for (const key of ["u1", "u2", "u3", "u3", "u2"]) await evaluated.valuesFor(user(key), evaluate);
    expect(evaluate.calls).toBe(3);
    await evaluated.valuesFor(user("u1"), evaluate);
    expect(evaluate.calls).toBe(4);
  });
});
