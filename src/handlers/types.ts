import type { Context } from "probot";
import type { AuditStore } from "../audit/store.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import type { Settings } from "../settings.js";

/** What every handler is given besides the webhook context. */
export interface HandlerDeps {
  engine: PolicyEngine;
  store: AuditStore;
  settings: Settings;
}

// Payload types come from Probot's (GitHub's published) schema via Context<"event.action">.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventHandler = (context: Context<any>, deps: HandlerDeps) => Promise<void>;
