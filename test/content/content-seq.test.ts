/**
 * The content seq a DDS reports and what a compositor keeps by it: the overlay's highest applied
 * seq, and the keep rule for a request whose remote DDS answers are behind, current, or say nothing.
 */
import { describe, expect, it } from "vitest";
import { createContentFreshness, keepCheck } from "../../compositor/cache/content-freshness.ts";
import { DdsAnswers } from "../../compositor/cache/dds-answers.ts";
import { CONTENT_SEQ_HEADER } from "../../dds/content/content-seq.ts";
import { createContentOverlay } from "../../dds/content/overlay.ts";

const answer = (answers: DdsAnswers, seq?: string) =>
  answers.callOptions.onHeader!(new Headers(seq === undefined ? {} : { [CONTENT_SEQ_HEADER]: seq }));

describe("the content seq", () => {
  it("is the overlay's highest applied seq, not lowered by an older update", () => {
    const overlay = createContentOverlay();
    expect(overlay.seq).toBe(0);
    overlay.apply({ seq: 3, entity: "content:m1", state: { title: "A" } });
    overlay.apply({ seq: 2, entity: "content:m2", state: { title: "B" } });
    expect(overlay.seq).toBe(3);
  });

  it("keeps a request's output only when every DDS answer had applied what the compositor has", () => {
    const freshness = createContentFreshness(() => {});
    freshness.apply({ seq: 5, entity: "content:m1", state: { takenDown: true } });

    const current = new DdsAnswers();
    const keptCurrent = keepCheck(freshness, current);
    answer(current, "5");
    answer(current, "7");
    expect(keptCurrent()).toBe(true);

    const behind = new DdsAnswers();
    const keptBehind = keepCheck(freshness, behind);
    answer(behind, "6");
    answer(behind, "4"); // one answer from a DDS replica behind is enough
    expect(keptBehind()).toBe(false);
    expect(keptBehind()).toBe(false);
    expect(freshness.behindDds).toBe(1); // counted once per request

    const unreadable = new DdsAnswers();
    answer(unreadable, "five");
    expect(keepCheck(freshness, unreadable)()).toBe(false);
  });

  it("takes an answer without the header (a DDS that does not report it) as current", () => {
    const freshness = createContentFreshness(() => {});
    freshness.apply({ seq: 5, entity: "content:m1", state: { takenDown: true } });
    const answers = new DdsAnswers();
    const kept = keepCheck(freshness, answers);
    answer(answers);
    expect(kept()).toBe(true);
  });

  it("keeps nothing composed while an update arrived, whatever the DDS reported", () => {
    const freshness = createContentFreshness(() => {});
    const answers = new DdsAnswers();
    const kept = keepCheck(freshness, answers);
    freshness.apply({ seq: 1, entity: "content:m1", state: { title: "A" } });
    answer(answers, "1");
    expect(kept()).toBe(false);
    expect(freshness.behindDds).toBe(0);
  });
});
