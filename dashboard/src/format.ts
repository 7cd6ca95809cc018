/** Short, readable renderings of times, match rules and schedules. */
import type { ScheduleWindow, VariantMatch } from "./types.ts";

export function relativeTime(iso: string, now = Date.now()): string {
  if (!iso) return "";
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  return new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function absoluteTime(iso: string): string {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : "";
}

const shortDate = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

export function describeSchedule(window: ScheduleWindow | undefined): string {
  if (!window || (!window.from && !window.until)) return "";
  if (window.from && window.until) return `${shortDate(window.from)} → ${shortDate(window.until)}`;
  return window.from ? `from ${shortDate(window.from)}` : `until ${shortDate(window.until!)}`;
}

/** Whether a schedule window is before, in or after `now`. */
export function scheduleState(window: ScheduleWindow | undefined, now = Date.now()): "none" | "upcoming" | "live" | "ended" {
  if (!window || (!window.from && !window.until)) return "none";
  if (window.from && now < Date.parse(window.from)) return "upcoming";
  if (window.until && now >= Date.parse(window.until)) return "ended";
  return "live";
}

export interface MatchChip {
  label: string;
  value: string;
}

export function matchChips(match: VariantMatch): MatchChip[] {
  const chips: MatchChip[] = [];
  if (match.platforms?.length) chips.push({ label: "platform", value: match.platforms.join(", ") });
  if (match.cohorts?.length) chips.push({ label: "cohort", value: match.cohorts.join(", ") });
  if (match.regions?.length) chips.push({ label: "region", value: match.regions.join(", ") });
  if (match.clientVersion) chips.push({ label: "version", value: match.clientVersion });
  if (match.experiment) chips.push({ label: "experiment", value: `${match.experiment.flag} = ${match.experiment.variation}` });
  const schedule = describeSchedule(match.schedule);
  if (schedule) chips.push({ label: "schedule", value: schedule });
  return chips;
}

export function summarizeConfig(config: Record<string, unknown>): string {
  return Object.entries(config)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" · ");
}
