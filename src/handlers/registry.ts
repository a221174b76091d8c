import type { EmitterWebhookEventName } from "@octokit/webhooks";
import type { EventHandler } from "./types.js";

export type HandlerRegistry = ReadonlyMap<string, EventHandler>;

export type RegistryEntry = readonly [string, EventHandler | undefined];

/**
 * An entry routing `event` to a handler typed for it. The registry calls a handler only for the key it
 * was registered under, so the handler's narrower payload type holds; the type is widened here, once.
 */
export function on<E extends EmitterWebhookEventName>(event: E, handler: EventHandler<E> | undefined): RegistryEntry {
  return [event, handler as EventHandler | undefined];
}

/**
 * One handler running `first` then `second` for the same event, for an event two concerns answer. The
 * second runs even when the first fails (its work is independent); the first failure is thrown after.
 */
export function oneAfterAnother<E extends EmitterWebhookEventName>(first: EventHandler<E>, second: EventHandler<E>): EventHandler<E> {
  return async (context, deps) => {
    const results = [];
    for (const handler of [first, second])
      results.push(
        await handler(context, deps).then(
          () => null,
          (error: unknown) => ({ error }),
        ),
      );
    const failed = results.find((result) => result !== null);
    if (failed) throw failed.error;
  };
}

/**
 * Builds the event → handler map. Fails at start (not at the first webhook) on a key registered
 * twice or a key routed to nothing, so a wiring mistake can never silently drop events.
 */
export function buildRegistry(entries: ReadonlyArray<RegistryEntry>): HandlerRegistry {
  const registry = new Map<string, EventHandler>();
  for (const [key, handler] of entries) {
    if (!/^[a-z_]+(\.[a-z_]+)?$/.test(key)) {
      throw new Error(`handler registry: "${key}" is not an event name like "pull_request.opened"`);
    }
    if (registry.has(key)) {
      throw new Error(`handler registry: "${key}" is registered twice`);
    }
    if (typeof handler !== "function") {
      throw new Error(`handler registry: "${key}" is routed to a missing handler`);
    }
    registry.set(key, handler);
  }
  return registry;
}

/** The handler for an event + action, trying "event.action" then "event". */
export function handlerFor(registry: HandlerRegistry, event: string, action?: string): EventHandler | undefined {
  return (action ? registry.get(`${event}.${action}`) : undefined) ?? registry.get(event);
}
