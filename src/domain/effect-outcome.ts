// What became of the GitHub call that carries a verdict (the deployment callback, the check run).
// It may change after the verdict is recorded (a retry succeeds, a newer verdict for the same target
// supersedes it); the verdict itself never does.

export type EffectKind = "deployment_callback" | "deployment_status_report" | "check_run" | "none";

export interface EffectOutcome {
  kind: EffectKind;
  ok: boolean;
  /** HTTP status GitHub answered, when it answered. */
  status?: number;
  check_run_id?: number;
  /** The audit row whose newer decision replaced this one before it reached GitHub. */
  superseded_by?: string;
  error?: string;
}
