/** What a server process has used, read from Linux's /proc: memory and CPU time. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface Memory {
  /** Resident set size now, MiB (VmRSS). */
  rssMiB: number;
  /** The highest resident set size so far, MiB (VmHWM). */
  peakMiB: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/** CPU time the process has used, user and system, in ms (to the kernel's tick, 10 ms at 100 Hz). */
export function cpuMsOf(pid: number): number {
  // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat(5), 12th and 13th after the name.
  return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
}
