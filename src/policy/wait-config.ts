// `wait` of one environment in `.repol/deploy.yaml`: which failing rules may still turn into a pass,
// and how long a deployment may wait for them. The schema validates the text; this turns it into data.
import type { DeployConfig } from "./load-repo-config.js";
import { entryForEnvironment } from "./environment-name.js";

export const WAITABLE_RULES = ["tests_passed", "approvals_required", "deploy_windows"] as const;
export type WaitableRule = (typeof WAITABLE_RULES)[number];

/** As written in the file: `for` is required by the schema, `max` gets its default there. */
export interface WaitSettings {
  for: WaitableRule[];
  max?: string;
}

export interface WaitConfig {
  for: WaitableRule[];
  maxMs: number;
}

export const DEFAULT_WAIT_MAX = "1h";
const MINUTE_MS = 60_000;
const UNIT_MS = { m: MINUTE_MS, h: 60 * MINUTE_MS, d: 24 * 60 * MINUTE_MS } as const;
/** GitHub gives up on a job waiting for a protection rule after 30 days. */
export const LONGEST_WAIT_MS = 30 * UNIT_MS.d;

/** "30m", "2h", "7d" → milliseconds; null for anything else, zero, or beyond 30 days. */
export function parseWaitDuration(text: string): number | null {
  const match = /^([1-9][0-9]{0,6})([mhd])$/.exec(text);
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms <= LONGEST_WAIT_MS ? ms : null;
}

/** Why a duration is refused, in words a config author can act on; null when it is fine. */
export function waitDurationProblem(text: string): string | null {
  if (parseWaitDuration(text) !== null) return null;
  if (/^[1-9][0-9]*[mhd]$/.test(text)) return "it is longer than 30 days, the longest GitHub lets a job wait";
  return "write a whole number of minutes, hours or days, such as 30m, 2h or 7d";
}

/** The wait settings of the environment a deployment targets; null when it has none (answer at once). */
export function waitConfigOf(config: DeployConfig, environment: string): WaitConfig | null {
  const settings = entryForEnvironment(config.policy.environments, environment)?.wait;
  if (!settings) return null;
  const maxMs = parseWaitDuration(settings.max ?? DEFAULT_WAIT_MAX);
  // The schema refuses a bad `max`; a config built by hand that skipped it waits the default, not forever.
  return { for: [...settings.for], maxMs: maxMs ?? parseWaitDuration(DEFAULT_WAIT_MAX)! };
}
