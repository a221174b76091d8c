// Exemptions turn a blocking violation into a warning that names who granted the exception, why
// and until when. Only rule failures can be exempted: a problem with the input, the environment or
// the config itself (env.missing, schema.*, config.*, policy.missing, scope.excluded) always blocks,
// since no one can vouch for a decision repol could not make. An expired exemption leaves the
// violation blocking and says so, so the team sees why yesterday's pass is today's failure.
import type { ExemptionUse } from "../domain/exemption-use.js";
import type { Violation } from "../domain/verdict.js";
import { endOfExpiryDay, type Exemption } from "../policy/load-org-config.js";
import { matchesAnyNameGlob, matchesNameGlob } from "../policy/match-name-glob.js";

export interface ExemptionContext {
  /** "owner/name". */
  repository: string;
  /** The deployment's environment; null for a pull request. */
  environment: string | null;
  now: Date;
}

export interface ExemptedResult {
  violations: Violation[];
  warnings: Violation[];
  used: ExemptionUse[];
}

const NEVER_EXEMPT = /^(env\.|schema\.|config\.|policy\.|scope\.)/;

export function applyExemptions(
  violations: readonly Violation[],
  warnings: readonly Violation[],
  exemptions: readonly Exemption[],
  context: ExemptionContext,
): ExemptedResult {
  const name = context.repository.slice(context.repository.indexOf("/") + 1);
  const relevant = exemptions.filter(
    (e) =>
      matchesNameGlob(e.repository, name) &&
      (e.environments === undefined || (context.environment !== null && matchesAnyNameGlob(e.environments, context.environment))),
  );
  const used = new Map<Exemption, string[]>();
  const blocking: Violation[] = [];
  const exempted: Violation[] = [];
  for (const violation of violations) {
    const covering = NEVER_EXEMPT.test(violation.code) ? [] : relevant.filter((e) => e.rules.includes(ruleOf(violation) ?? ""));
    const active = covering.find((e) => isActive(e, context.now));
    if (active !== undefined) {
      used.set(active, [...(used.get(active) ?? []), violation.code]);
      exempted.push({
        ...violation,
        msg: `${violation.msg} (exempted until ${active.expires} by ${active.owner}: ${active.reason})`,
        exemption: describe(active),
      });
      continue;
    }
    const expired = covering[0];
    blocking.push(
      expired === undefined
        ? violation
        : {
            ...violation,
            msg: `${violation.msg} (the exemption granted by ${expired.owner} expired on ${expired.expires})`,
            exemption_expired: expired.expires,
          },
    );
  }
  const uses = [...used].map(([exemption, codes]) => ({ ...describe(exemption), exempted: codes }));
  return { violations: blocking, warnings: [...warnings, ...exempted], used: uses };
}

/** A built-in rule's name, or a custom finding's package. */
function ruleOf(violation: Violation): string | null {
  if (typeof violation.package === "string") return violation.package;
  return typeof violation.rule === "string" ? violation.rule : null;
}

function isActive(exemption: Exemption, now: Date): boolean {
  const end = endOfExpiryDay(exemption.expires);
  return end !== null && now.getTime() < end.getTime();
}

function describe(exemption: Exemption): Omit<ExemptionUse, "exempted"> {
  const { repository, rules, environments, reason, owner, expires } = exemption;
  return { repository, rules, ...(environments === undefined ? {} : { environments }), reason, owner, expires };
}
