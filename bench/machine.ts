/** What machine a run was on, for the README next to its figures. */
import { availableParallelism, cpus } from "node:os";

export function describeMachine(): string {
  const model = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${availableParallelism()} CPUs (nproc), ${model}, Node ${process.version}, ${new Date().toISOString().slice(0, 16)}Z`;
}
