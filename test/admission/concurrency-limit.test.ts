import { describe, expect, it } from "vitest";
import { createConcurrencyLimit } from "../../compositor/admission/concurrency-limit.ts";

/** A limit on a clock the test moves, with an event loop as late as the test says. */
function limitUnderTest(initial = 16) {
  let now = 0;
  let loopDelay = 0;
  const limit = createConcurrencyLimit({
    min: 2,
    max: 64,
    initial,
    targetMs: 100,
    maxLoopDelayMs: 50,
    windowMs: 100,
    now: () => now,
    loopDelayMs: () => loopDelay,
  });
  return {
    limit,
    /** Compositions admitted now that take `durationMs`, then the next window. */
    window(durations: number[], options: { reached?: boolean } = {}) {
      const startedAt = now;
      if (options.reached) limit.reached();
      now += 100;
      for (const duration of durations) limit.sample(startedAt, duration);
      return limit.current();
    },
    lateLoop(ms: number) {
      loopDelay = ms;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("the adaptive concurrency limit", () => {
  it("grows by its square root while compositions keep under the target and the limit holds requests back", () => {
    const subject = limitUnderTest(16);
    expect(subject.window([40, 50, 60], { reached: true })).toBe(20);
    expect(subject.window([40, 50, 60], { reached: true })).toBe(24);
  });

  it("stays where it is when it held nobody back", () => {
    const subject = limitUnderTest(16);
    expect(subject.window([40, 50, 60])).toBe(16);
  });

  it("comes down by target / 90th percentile when compositions run late, by half at most per window", () => {
    const subject = limitUnderTest(32);
    expect(
      subject.window(
        Array.from({ length: 10 }, () => 125),
        { reached: true },
      ),
    ).toBe(25);
    expect(subject.window([1_000, 1_000], { reached: true })).toBe(12);
  });

  it("never goes below its floor nor above its ceiling", () => {
    const low = limitUnderTest(4);
    for (let i = 0; i < 5; i++) low.window([5_000]);
    expect(low.limit.current()).toBe(2);
    const high = limitUnderTest(60);
    for (let i = 0; i < 5; i++) high.window([10], { reached: true });
    expect(high.limit.current()).toBe(64);
  });

  it("comes down on a drowning event loop even before any composition finishes", () => {
    const subject = limitUnderTest(32);
    subject.advance(100);
    expect(subject.limit.current()).toBe(32);
    subject.lateLoop(100);
    subject.advance(100);
    expect(subject.limit.current()).toBe(16);
  });

  it("does not count against a window the compositions admitted before it opened", () => {
    const subject = limitUnderTest(32);
    const before = -50;
    subject.advance(100);
    subject.limit.sample(before, 5_000);
    expect(subject.limit.current()).toBe(32);
  });
});
