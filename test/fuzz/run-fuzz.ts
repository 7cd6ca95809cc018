/**
 * A fuzz run: `requests` mutated requests drawn from a seed across every surface, sent `concurrency`
 * at a time, each answer judged (verdict.ts). The fuzz suite and `npm run chaos` both run it.
 */
import { seededRandom } from "../../dds/catalog/prng.ts";
import { mutators } from "./mutators.ts";
import type { Sender } from "./send.ts";
import { seedLayout, surfaces, type FuzzContext, type FuzzRequest } from "./surfaces.ts";
import { problemOf } from "./verdict.ts";

/** The problem of a 503 `overloaded` answer: still a failure of the suite, told apart for `npm run chaos`. */
export const SHED = "503 overloaded (load shedding)";

/** The seed of the fuzz suite's sequence of requests. */
export const FUZZ_SEED = 0x7e55e7a;

export interface FuzzRun {
  sender: Sender;
  ctx: FuzzContext;
  seed: number;
  requests: number;
  concurrency: number;
}

export interface FuzzOutcome {
  /** Problems by "surface × mutator: problem", with a count and one example. */
  failures: Map<string, { count: number; example: string }>;
  /** Answers by HTTP status (0: no answer). */
  statuses: Map<number, number>;
  /** 503 answers that say the server is overloaded: load shedding (compositor/admission/). */
  shed: number;
}

/** The `code` of a JSON error body. */
function codeOf(body: Buffer): string | undefined {
  try {
    return (JSON.parse(body.toString("utf8")) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

export async function runFuzz({ sender, ctx, seed, requests, concurrency }: FuzzRun): Promise<FuzzOutcome> {
  const random = seededRandom(seed);
  const layout = seedLayout();
  const failures: FuzzOutcome["failures"] = new Map();
  const statuses: FuzzOutcome["statuses"] = new Map();
  let shed = 0;

  /** The i-th request: drawn synchronously, so the sequence is the seed's whatever the timing. */
  function nextRequest(index: number): { label: string; request: FuzzRequest } {
    const surface = surfaces[index % surfaces.length]!;
    const mutator = mutators[Math.floor(random() * mutators.length)]!;
    const subject = { pageId: "home", layout };
    const label = `${surface.name} × ${mutator.name}`;
    try {
      return { label, request: mutator.apply({ request: surface.make(ctx, subject), surface, ctx, subject, random }) };
    } catch {
      // The client itself cannot encode some mutations (e.g. a Struct nested 4,000 deep as protobuf).
      return { label: `${label} (as sent: none)`, request: surface.make(ctx, subject) };
    }
  }

  let next = 0;
  async function worker() {
    while (next < requests) {
      const { label, request } = nextRequest(next++);
      let problem: string | undefined;
      let snippet = "";
      let status = 0;
      try {
        const response = await sender.send(request);
        status = response.status;
        snippet = `${response.status} ${JSON.stringify(response.headers["grpc-status"] ?? response.trailers["grpc-status"] ?? "")} ${response.body.toString("latin1").slice(0, 300)}`;
        problem = problemOf(request, response);
        const code = codeOf(response.body);
        // `overloaded` over HTTP; Connect's `unavailable` says so in its message.
        if (status === 503 && /overloaded/.test(response.body.toString("utf8"))) {
          shed++;
          problem = SHED;
        } else if (problem === String(status)) {
          problem = `${status} ${code ?? "(no code)"}`;
        }
      } catch (error) {
        // No answer at all (a reset, a hang) fails too.
        problem = `no answer: ${(error as Error).message}`;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (problem) {
        const key = `${label}: ${problem}`;
        const entry = failures.get(key) ?? {
          count: 0,
          example: `${request.method} ${request.path.slice(0, 120)} ${JSON.stringify(request.headers).slice(0, 200)} → ${snippet}`,
        };
        entry.count++;
        failures.set(key, entry);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { failures, statuses, shed };
}
