import { afterEach, describe, expect, it } from "vitest";
import { createAdmission, type Admission } from "../../compositor/admission/admission.ts";
import { ApiError } from "../../api/errors.ts";

// A clock that never moves: the limit keeps its initial value, so these tests are about admission alone.
const FROZEN = () => 0;
const settings = { maxConcurrency: 4, targetMs: 100, queueSize: 2, queueTimeoutMs: 20_000, maxLoopDelayMs: 50 };

let admission: Admission;
afterEach(() => admission.close());

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe("admission control", () => {
  it("admits pages up to the limit, queues a few in order, and refuses the rest at once with 503 overloaded and Retry-After", async () => {
    admission = createAdmission(settings, FROZEN);
    const slots = await Promise.all([1, 2, 3, 4].map(() => admission.acquire("page")));
    const order: string[] = [];
    const first = admission.acquire("page").then((slot) => (order.push("first"), slot));
    const second = admission.acquire("page").then((slot) => (order.push("second"), slot));
    const refused = await refusal(admission.acquire("page"));
    expect([refused.status, refused.code, refused.headers["retry-after"]]).toEqual([503, "overloaded", "1"]);
    expect(refused.message).toMatch(/overloaded/);
    expect(admission.state()).toMatchObject({ limit: 4, inFlight: { page: 4 }, queued: 2, shed: { page: { limit: 1 } } });

    slots[0]!.release();
    slots[1]!.release();
    await Promise.all([first, second]);
    expect(order).toEqual(["first", "second"]);
    expect(admission.state()).toMatchObject({ inFlight: { page: 4 }, queued: 0 });
  });

  it("refuses a queued page whose wait passes the queue's deadline", async () => {
    admission = createAdmission({ ...settings, queueTimeoutMs: 1 }, FROZEN);
    await Promise.all([1, 2, 3, 4].map(() => admission.acquire("page")));
    const refused = await refusal(admission.acquire("page"));
    expect(refused.code).toBe("overloaded");
    expect(admission.state().shed.page["queue-timeout"]).toBe(1);
  });

  it("lets previews and writes use a quarter of the slots, never queue them, and puts waiting pages first", async () => {
    admission = createAdmission(settings, FROZEN);
    const preview = await admission.acquire("preview");
    expect((await refusal(admission.acquire("write"))).code).toBe("overloaded");
    expect(admission.state().shed.write["low-priority"]).toBe(1);
    preview.release();

    await Promise.all([1, 2, 3, 4].map(() => admission.acquire("page")));
    const waiting = admission.acquire("page");
    expect((await refusal(admission.acquire("preview"))).code).toBe("overloaded");
    expect(admission.state().shed.preview.limit).toBe(1);
    admission.close();
    await refusal(waiting);
  });

  it("frees a page's slot while it waits on the DDS for a queued page, and counts it again after, past the limit", async () => {
    admission = createAdmission(settings, FROZEN);
    const slots = await Promise.all([1, 2, 3, 4].map(() => admission.acquire("page")));
    let queuedAdmitted = false;
    const queued = admission.acquire("page").then((slot) => ((queuedAdmitted = true), slot));
    await Promise.resolve();
    expect(queuedAdmitted).toBe(false);

    slots[0]!.waiting();
    const admitted = await queued;
    expect(admission.state()).toMatchObject({ inFlight: { page: 4 }, waiting: 1, queued: 0 });

    slots[0]!.working();
    expect(admission.state()).toMatchObject({ inFlight: { page: 5 }, waiting: 0 });
    slots[0]!.release();
    slots[0]!.release();
    expect(admission.state()).toMatchObject({ inFlight: { page: 4 }, waiting: 0 });

    // Released while waiting (its binders' deadlines passed with a call in flight): the slot is gone, what the call does after too.
    slots[1]!.waiting();
    slots[1]!.release();
    slots[1]!.working();
    expect(admission.state()).toMatchObject({ inFlight: { page: 3 }, waiting: 0 });
    for (const slot of [admitted, slots[2]!, slots[3]!]) slot.release();
    expect(admission.state()).toMatchObject({ inFlight: { page: 0 }, waiting: 0 });
  });

  it("leaves a page's wait on the DDS out of the composition time the limit adapts to", async () => {
    const limitAfterOnePage = async (waitsOnDds: boolean) => {
      let clock = 0;
      // A loop delay no machine reaches: the limit adapts to composition time alone here.
      const tested = createAdmission({ ...settings, maxLoopDelayMs: 3_600_000 }, () => clock);
      try {
        const slot = await tested.acquire("page");
        if (waitsOnDds) slot.waiting();
        clock = 1_000;
        if (waitsOnDds) slot.working();
        clock = 1_010;
        slot.release();
        clock = 1_200;
        return tested.state().limit;
      } finally {
        tested.close();
      }
    };
    admission = createAdmission(settings, FROZEN);
    // 1 010 ms of composition is ten times the 100 ms target: the limit halves. 10 ms of it, past a 1 s wait, is not.
    expect(await limitAfterOnePage(false)).toBe(2);
    expect(await limitAfterOnePage(true)).toBe(4);
  });

  it("runs work in a slot and frees it after, whether the work succeeds or fails", async () => {
    admission = createAdmission(settings, FROZEN);
    expect(await admission.run("page", async () => admission.state().inFlight.page)).toBe(1);
    await expect(admission.run("write", async () => Promise.reject(new Error("store down")))).rejects.toThrow("store down");
    expect(admission.state().inFlight).toEqual({ page: 0, preview: 0, write: 0 });
  });

  it("sheds a page early only when acquire would refuse it", async () => {
    admission = createAdmission(settings, FROZEN);
    await Promise.all([1, 2, 3, 4].map(() => admission.acquire("page")));
    expect(() => admission.shedEarly()).not.toThrow();
    void admission.acquire("page").catch(() => {});
    void admission.acquire("page").catch(() => {});
    expect(() => admission.shedEarly()).toThrow(ApiError);
  });
});
