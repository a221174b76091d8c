// The check run a pull request verdict will complete, opened before judging so the pull request shows
// "in progress". GitHub's refusal is judged here, once: worth retrying later, or final.
import type { EffectOutcome } from "../domain/effect-outcome.js";
import { appIdOf } from "./app-id-of.js";
import { startCheckRun, type CheckRunTarget } from "./check-run.js";
import { retryableStatus } from "./deliver-effect.js";
import { statusOf, type GitHub } from "./github-client.js";

export type OpenedCheckRun =
  /** checkRunId null: GitHub is failing for now; the verdict's delivery creates the run later. */
  | { ok: true; target: CheckRunTarget; checkRunId: number | null }
  /** GitHub refused in a way a retry would not change (e.g. no permission). */
  | { ok: false; target: CheckRunTarget; failure: EffectOutcome };

/** startCheckRun for our App (its id read first, so only its runs are reused). */
export async function openCheckRun(github: GitHub, target: CheckRunTarget): Promise<OpenedCheckRun> {
  try {
    target = { ...target, appId: await appIdOf(github) };
    return { ok: true, target, checkRunId: (await startCheckRun(github, target)).id };
  } catch (error) {
    const status = statusOf((error as Error).cause);
    if (retryableStatus(status, (error as Error).message)) return { ok: true, target, checkRunId: null };
    const message = `the check run could not be created: ${(error as Error).message}`;
    return { ok: false, target, failure: { kind: "check_run", ok: false, status, error: message } };
  }
}
