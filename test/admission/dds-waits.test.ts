/**
 * Pages waiting on a DDS that does not answer take no admission slot: with 2 slots and 1 place in
 * the queue, four signed-in pages whose DDS calls hang are all admitted (none refused 503
 * `overloaded`), and all come whole once the DDS answers.
 */
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmission, type Admission } from "../../compositor/admission/admission.ts";
import { loadConfig } from "../../compositor/config.ts";
import { wrapDdsClient } from "../../dds/client.ts";
import type { Tessera } from "../../compositor/server.ts";
import { devToken, startTessera, testDds } from "../support/tessera.ts";

let tessera: Tessera;
let admission: Admission;
let answer: () => void;
const answered = new Promise<void>((resolve) => (answer = resolve));

beforeAll(async () => {
  // A clock that never moves keeps the limit where it starts.
  admission = createAdmission({ ...loadConfig({}).admission!, maxConcurrency: 2, queueSize: 1, queueTimeoutMs: 60_000 }, () => 0);
  const stalled = wrapDdsClient(testDds(), async (_dds, _method, call) => {
    await answered;
    return call();
  });
  tessera = await startTessera({ dds: stalled, admission });
});
afterAll(async () => {
  answer();
  admission.close();
  await tessera.app.close();
});

async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries++) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe("pages waiting on the DDS", () => {
  it("hold no admission slot meanwhile: more pages than slots and queue are admitted, and come whole", { timeout: 30_000 }, async () => {
    const tokens = await Promise.all(["u1", "u2", "u3", "u4"].map((userId) => devToken({ userId })));
    // One after the other, each once the one before waits on the DDS: two arriving together both compose, and hold their slots.
    const pages: Array<Promise<LightMyRequestResponse>> = [];
    for (const token of tokens) {
      pages.push(
        tessera.app.inject({
          method: "GET",
          url: "/v1/pages/home?platform=web&clientVersion=5.0.0",
          headers: { accept: "application/json", authorization: `Bearer ${token}` },
        }),
      );
      await until(() => admission.state().waiting === pages.length);
    }
    expect(admission.state()).toMatchObject({ inFlight: { page: 0 }, waiting: 4, queued: 0, shed: { page: { limit: 0 } } });

    answer();
    for (const page of await Promise.all(pages)) {
      expect(page.statusCode).toBe(200);
      expect(page.json()).not.toHaveProperty("errors");
    }
    expect(admission.state()).toMatchObject({ inFlight: { page: 0 }, waiting: 0 });
  });
});
