import type { EmitterWebhookEventName } from "@octokit/webhooks";
import type { Context } from "probot";
import type { AuditStore } from "../audit/store.js";
import type { AppIdSource } from "../github/app-id-of.js";
import type { Metrics } from "../metrics/create-metrics.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import type { CustomRules } from "../policy/custom/custom-rule-types.js";
import type { Settings } from "../settings.js";
import type { KeyedQueue } from "../durability/keyed-queue.js";
import type { Clock } from "../durability/clock.js";
import type { ParsedConfigs } from "../core/parsed-configs.js";

/** What the App is built from. The rest of HandlerDeps is created with it (tests may hand in their own). */
export interface AppDeps {
  engine: PolicyEngine;
  store: AuditStore;
  settings: Settings;
  perCommit?: KeyedQueue;
  appId?: AppIdSource;
  /**
   * Serialises the decisions for one repository environment (`owner/repo#env:name`) that do not come
   * through the intake's own per-environment order: waiting deployments released by an event or the
   * sweep, so the daily limit still counts them one at a time. server.ts creates one per process.
   */
  perEnvironment?: KeyedQueue;
  /** The time deployments are judged at (deploy_windows, freeze, today's count, how long one has waited); tests move it by hand. */
  clock?: Clock;
  /** Where the App counts events and their GitHub calls; main.ts passes the process's one set. */
  metrics?: Metrics;
  /**
   * Compiles and evaluates `.repol/policies` (the repository's and its organisation's); main.ts
   * creates the process's one and closes it at shutdown. Without it, rule files fail decisions closed.
   */
  customRules?: CustomRules;
}

/** What every handler is given besides the webhook context; created once when the App is built. */
export interface HandlerDeps extends AppDeps {
  /**
   * Serialises the work on one pull request commit, so two events for it end with one check run: the
   * intake runs a pull request's events in turn, but a "Re-run" (keyed by commit) can meet a push or a
   * review (keyed by pull request).
   */
  perCommit: KeyedQueue;
  /** The App's own id, read once per process (see app-id-of.ts). */
  appId: AppIdSource;
  /** Policy files parsed by earlier decisions, kept by blob SHA (core/parsed-configs.ts). */
  configs?: ParsedConfigs;
}

/** A handler for the events named by E, typed by GitHub's published payload schema through Probot. */
export type EventHandler<E extends EmitterWebhookEventName = EmitterWebhookEventName> = (context: Context<E>, deps: HandlerDeps) => Promise<void>;
