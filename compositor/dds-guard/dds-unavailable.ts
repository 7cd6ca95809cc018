/**
 * What a failed DDS call rejects with: the DDS's name and why, never the underlying error's
 * message (a network error names internal addresses); the original error is kept as `cause`.
 */
import type { DdsName } from "../../dds/client.ts";

export type DdsFailure = "timeout" | "error" | "circuit open" | "cancelled";

export class DdsUnavailable extends Error {
  readonly dds: DdsName;
  readonly failure: DdsFailure;

  constructor(dds: DdsName, failure: DdsFailure, options?: { cause?: unknown }) {
    super(`display data unavailable: ${dds} (${failure})`, options);
    this.dds = dds;
    this.failure = failure;
  }
}

/** The message of a DDS failure for clients: the DdsUnavailable's own, else a generic one. */
export function ddsFailureMessage(error: unknown): string {
  return error instanceof DdsUnavailable ? error.message : "display data unavailable";
}
