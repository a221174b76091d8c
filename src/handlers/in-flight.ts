import type { HandlerRegistry } from "./registry.js";

export interface InFlightRegistry {
  registry: HandlerRegistry;
  /** Resolves when every handler already running has finished, or false once `timeoutMs` has passed. */
  drain(timeoutMs: number): Promise<boolean>;
}

/**
 * Wraps each handler so shutdown can wait for it. Closing the HTTP server is not enough: the webhook
 * middleware answers 202 after 9 s and lets a slow handler run on, and a deployment half-decided at
 * exit would stay waiting until GitHub's own timeout.
 */
export function trackInFlight(registry: HandlerRegistry): InFlightRegistry {
  const running = new Set<Promise<unknown>>();
  const wrapped = new Map(
    [...registry].map(([key, handler]) => [
      key,
      async (...args: Parameters<typeof handler>) => {
        const work = handler(...args);
        running.add(work);
        try {
          return await work;
        } finally {
          running.delete(work);
        }
      },
    ]),
  );
  return {
    registry: wrapped,
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
      const settled = Promise.allSettled([...running]).then(() => true as const);
      try {
        return await Promise.race([settled, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
