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
      if (counted) context.octokit = clientForEvent(context.octokit as GitHub, tally) as Context["octokit"];
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
