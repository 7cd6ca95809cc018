import { describe, expect, it } from "vitest";
import { ConnectError } from "@connectrpc/connect";
import { wrapDdsClient } from "../../dds/client.ts";
import { CircuitBreaker } from "../../compositor/dds-guard/circuit-breaker.ts";
import { DdsUnavailable } from "../../compositor/dds-guard/dds-unavailable.ts";
import { guardDdsClient } from "../../compositor/dds-guard/guarded-dds.ts";
import { defaultParts, startTessera, testDds } from "../support/tessera.ts";

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("circuit breaker", () => {
  it("opens on consecutive failures, fails fast while open, probes once after the cool-down and closes on its success", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 1000, now: time.now });
    for (let i = 0; i < 2; i++) {
      expect(breaker.allow()).toBe(true);
      breaker.failed();
    }
    expect(breaker.state).toBe("closed");
    expect(breaker.allow()).toBe(true);
    breaker.failed();
    expect(breaker.state).toBe("open");
    expect(breaker.allow()).toBe(false);

    time.advance(1000);
    expect(breaker.allow()).toBe(true);
    expect(breaker.state).toBe("half-open");
    expect(breaker.allow()).toBe(false); // one probe at a time
    breaker.succeeded();
    expect(breaker.state).toBe("closed");
    expect(breaker.allow()).toBe(true);
  });

  it("opens again when the probe fails, and a success in between resets the count", () => {
    const time = clock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 500, now: time.now });
    breaker.failed();
    breaker.succeeded();
    breaker.failed();
    expect(breaker.state).toBe("closed");
    breaker.failed();
    expect(breaker.state).toBe("open");
    time.advance(500);
    expect(breaker.allow()).toBe(true);
    breaker.failed();
    expect(breaker.state).toBe("open");
    expect(breaker.allow()).toBe(false);
  });
});

/** What a remote DDS call rejects with when nothing listens. */
const refused = () => {
  throw new ConnectError("connect ECONNREFUSED 127.0.0.1:8090");
};

describe("guarded DDS client", () => {
  it("rejects with the DDS's name, never the network error's address, and fails fast once the breaker is open", async () => {
    let calls = 0;
    const failing = wrapDdsClient(testDds(), async () => {
      calls++;
      refused();
    });
    const guarded = guardDdsClient(failing, { timeoutMs: 1000, failureThreshold: 2, coolDownMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      const error = await guarded.client.reco.batchGetTopPicks({ personaIds: ["p1"] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DdsUnavailable);
      expect((error as Error).message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
      expect((error as Error).message).toContain("reco");
    }
    expect(calls).toBe(2);
    expect(guarded.breakerStates()).toMatchObject({ reco: "open", content: "closed" });
  });

  it("gives up a call at its deadline and aborts its signal", async () => {
    let signal: AbortSignal | undefined;
    const hanging = wrapDdsClient(testDds(), (_dds, _method, call) => call().then(() => new Promise(() => {})));
    const seen = wrapDdsClient(hanging, (_dds, _method, call, _request, options) => {
      signal = options?.signal;
      return call();
    });
    const guarded = guardDdsClient(seen, { timeoutMs: 20, failureThreshold: 5, coolDownMs: 1000 });
    const error = await guarded.client.content.batchGetContent({ ids: ["c1"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ dds: "content", failure: "timeout" });
    expect(signal?.aborted).toBe(true);
  });
});

describe("breaker state exposed", () => {
  it("shows each DDS's breaker in /metrics and /readyz", async () => {
    const failing = wrapDdsClient(testDds(), async (dds, _method, call) => (dds === "reco" ? refused() : call()));
    const tessera = await startTessera({ dds: failing });
    for (let i = 0; i < defaultParts().config.ddsBreakerFailures; i++) {
      await tessera.app.inject({ method: "GET", url: `/v1/pages/home?platform=web&persona=p${i % 8}` });
    }
    const metrics = (await tessera.app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('tessera_dds_circuit_state{dds="reco"} 2');
    expect(metrics).toContain('tessera_dds_circuit_state{dds="content"} 0');
    const ready = (await tessera.app.inject({ method: "GET", url: "/readyz" })).json();
    expect(ready).toMatchObject({
      status: "degraded",
      checks: { dds: { status: "degraded", reason: "circuit open for reco: serving stale or partial pages" } },
    });
    await tessera.app.close();
  });
});
