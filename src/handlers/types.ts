import type { EmitterWebhookEventName } from "@octokit/webhooks";
import type { Context } from "probot";
import type { AuditStore } from "../audit/store.js";
import type { ConfigCache } from "../github/config-cache.js";
import type { PolicyEngine } from "../policy/engine-types.js";
import type { Settings } from "../settings.js";
import type { KeyedQueue } from "../durability/keyed-queue.js";

/** What the App is built from. The rest of HandlerDeps is created with it (tests may hand in their own). */
export interface AppDeps {
  engine: PolicyEngine;
  store: AuditStore;
  settings: Settings;
  configCache?: ConfigCache;
  perCommit?: KeyedQueue;
}

/** What every handler is given besides the webhook context; created once when the App is built. */
export interface HandlerDeps extends AppDeps {
  /** `.repol` files kept between events (see config-cache.ts). */
  configCache: ConfigCache;
  /**
   * Serialises the work on one pull request commit, so two events for it end with one check run: the
   * intake runs a pull request's events in turn, but a "Re-run" (keyed by commit) can meet a push or a
   * review (keyed by pull request).
   */
  perCommit: KeyedQueue;
}

/** A handler for the events named by E, typed by GitHub's published payload schema through Probot. */
export type EventHandler<E extends EmitterWebhookEventName = EmitterWebhookEventName> = (context: Context<E>, deps: HandlerDeps) => Promise<void>;
