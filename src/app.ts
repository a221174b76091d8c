import type { ApplicationFunction, Context } from "probot";
import { rememberedAppId } from "./github/app-id-of.js";
import { countsRequests, EventTally } from "./github/count-requests.js";
import { clientForEvent } from "./github/event-client.js";
import type { GitHub } from "./github/github-client.js";
import { parsedConfigs } from "./core/parsed-configs.js";
import { createKeyedQueue } from "./durability/keyed-queue.js";
import { handlerFor, type HandlerRegistry } from "./handlers/registry.js";
import type { AppDeps, HandlerDeps } from "./handlers/types.js";
import { createMetrics } from "./metrics/create-metrics.js";

/** The Probot app: every event goes through the explicit registry, nothing else subscribes. */
export function repolApp(registry: HandlerRegistry, appDeps: AppDeps): ApplicationFunction {
  // Created here, once per App, and handed to every handler: no module keeps state of its own.
  const { recordEvent, observeGitHubCalls } = appDeps.metrics ?? createMetrics();
  const deps: HandlerDeps = {
    ...appDeps,
    perCommit: appDeps.perCommit ?? createKeyedQueue(),
    appId: appDeps.appId ?? rememberedAppId(),
    configs: parsedConfigs(),
  };
  return (app) => {
    app.onAny(async (event) => {
      // Probot hands every listener a Context; onAny's published type only names the raw event.
      const context = event as unknown as Context;
      const payload = context.payload as { action?: string };
      const handler = handlerFor(registry, context.name, payload.action);
      if (!handler) {
        recordEvent(context.name, payload.action, "ignored");
        context.log.debug({ event: context.name, action: payload.action, delivery: context.id }, "no handler for event; acknowledged");
        return;
      }
      // The installation's client is shared by its events; this event's requests are counted apart.
      const tally = new EventTally(context.id);
      const counted = countsRequests(context.octokit);
      if (counted) lazyEventClient(context, context.octokit as GitHub, tally);
      try {
        await handler(context, deps);
      } catch (error) {
        recordEvent(context.name, payload.action, "error");
        throw error;
      } finally {
        if (counted) observeGitHubCalls(context.name, tally.requests);
      }
      recordEvent(context.name, payload.action, "handled");
    });
  };
}

/**
 * Gives `context` its event's client on first use: a handler that drops its event before any GitHub
 * call (an edit that changes nothing judged) never builds one. A handler may still replace it.
 */
function lazyEventClient(context: Context, shared: GitHub, tally: EventTally): void {
  let client: Context["octokit"] | undefined;
  Object.defineProperty(context, "octokit", {
    configurable: true,
    enumerable: true,
    get: () => (client ??= clientForEvent(shared, tally) as Context["octokit"]),
    set: (value: Context["octokit"]) => {
      client = value;
    },
  });
}
