// Adds deploy_windows, freeze, input.now, input.schedule and the lists of unfinished checks to
// generated deploy inputs: mostly consistent facts at the edges of windows and freezes, sometimes
// facts for another time or zone, malformed rules, missing or wrong-typed values.
import type { Random } from "./branch-pattern-generator.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const ZONES = ["Europe/Berlin", "America/New_York", "UTC"];
const CLOCKS = ["00:00", "08:59", "09:00", "12:30", "16:59", "17:00", "23:59", "24:00", "9:00", "25:00"];
const WRONG: Json[] = [null, true, 0, "", "x", [], {}, [1]];
const isObject = (value: Json | undefined): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

export function withScheduleFacts(random: Random, input: Json): Json {
  if (!isObject(input) || !random.chance(0.5)) return input;
  const now = instantText(random, random.int(20));
  const rules = rulesIn(input);
  const windows = rules && random.chance(0.7) ? Array.from({ length: 1 + random.int(3) }, () => window(random)) : [];
  const freezes = rules && random.chance(0.5) ? Array.from({ length: 1 + random.int(2) }, () => freeze(random)) : [];
  if (rules && windows.length > 0) rules.deploy_windows = random.chance(0.05) ? random.pick(WRONG) : windows;
  if (rules && freezes.length > 0) rules.freeze = random.chance(0.05) ? random.pick(WRONG) : freezes.map(([f]) => f);
  input.now = random.chance(0.9) ? now : random.pick([...WRONG, instantText(random, 3)]);
  input.schedule = random.chance(0.05)
    ? random.pick(WRONG)
    : {
        now: random.chance(0.9) ? now : instantText(random, 5),
        deploy_windows: windows.map((w) => windowFacts(random, w)),
        freeze: freezes.map(([, facts]) => facts),
      };
  const checks = isObject(input.workflow_meta) ? input.workflow_meta.checks : undefined;
  if (isObject(checks)) {
    for (const kind of ["pending", "failed", "missing"]) {
      if (random.chance(0.5)) checks[kind] = random.chance(0.9) ? names(random) : random.pick(WRONG);
    }
  }
  return input;
}

function rulesIn(input: JsonObject): JsonObject | undefined {
  const policy = isObject(input.repo_policy) ? input.repo_policy.policy : undefined;
  const environments = isObject(policy) ? policy.environments : undefined;
  if (!isObject(environments)) return undefined;
  return Object.values(environments)
    .map((env) => (isObject(env) && isObject(env.rules) ? env.rules : undefined))
    .find(Boolean);
}

function window(random: Random): JsonObject {
  const days = DAYS.filter(() => random.chance(0.6));
  const out: JsonObject = {
    days: random.chance(0.05) ? ["monday"] : days,
    from: random.pick(random.chance(0.8) ? CLOCKS.slice(0, 4) : CLOCKS),
    to: random.pick(random.chance(0.8) ? CLOCKS.slice(4, 8) : CLOCKS),
    timezone: random.pick(ZONES),
  };
  if (random.chance(0.05)) delete out[random.pick(Object.keys(out))];
  return out;
}

function windowFacts(random: Random, window: JsonObject): Json {
  if (random.chance(0.05)) return random.pick(WRONG);
  const minute = random.chance(0.5) ? random.int(1440) : minuteNear(random, window);
  return {
    timezone: random.chance(0.9) ? window.timezone : random.pick(ZONES),
    local: { date: "2026-03-30", day: random.pick(DAYS), time: "09:00", minute: random.chance(0.95) ? minute : String(minute) },
    next_open: random.chance(0.8) ? { utc: instantText(random, random.int(10)), local: "2026-03-31 09:00 Europe/Berlin" } : null,
  };
}

/** One minute either side of the window's bounds, where inclusive and exclusive differ. */
function minuteNear(random: Random, window: JsonObject): number {
  const clock = String(random.pick([window.from, window.to] as Json[]));
  const minute = Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
  return Number.isFinite(minute) ? Math.max(0, Math.min(1439, minute + random.pick([-1, 0, 1]))) : 0;
}

function freeze(random: Random): [JsonObject, Json] {
  const from = instantText(random, random.int(20));
  const to = instantText(random, random.int(20));
  const config: JsonObject = { from: "2026-12-21T18:00:00+01:00", to: "2027-01-04T08:00:00+01:00", reason: random.chance(0.9) ? "Release" : 1 };
  const facts = random.chance(0.9) ? { from, to } : random.chance(0.5) ? { from } : random.pick(WRONG);
  return [config, facts];
}

/** An instant near 2026-03-30T07:00Z in minutes, written with 0, 3 or 9 fraction digits. */
function instantText(random: Random, minutes: number): string {
  const iso = new Date(Date.parse("2026-03-30T07:00:00Z") + (minutes - 10) * 60_000 + random.pick([0, 0, 1, 999])).toISOString();
  return random.pick([iso, iso.replace(/\.\d{3}Z$/, "Z"), iso.replace(/Z$/, "000000Z")]);
}

function names(random: Random): Json[] {
  return ["e2e", "unit", "lint"].filter(() => random.chance(0.5));
}
