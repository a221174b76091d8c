// One Octokit per installation, kept for the installation's next events. Probot builds a new client for
// every delivery (and for every probot.auth(id) of the outbox and the sweep): its plugins, hooks, REST
// methods and fetch wiring cost more CPU than the decision itself, and the garbage of each is collected
// again. A client holds no event state (count-requests.ts pins each event's tally to its requests), and
// its installation token comes from the auth cache Probot shares between all its clients, which renews
// it before it expires, so handing one client to every event of the installation changes nothing else.

// Octokit's constructor type; `any[]` as TypeScript requires of a mixin's constructor.
// biome-ignore lint/suspicious/noExplicitAny: mixin constructor signature
type Constructor = new (...args: any[]) => object;

/** Installations whose client is kept: idle ones beyond this are dropped, least recently used first. */
export const KEPT_INSTALLATION_CLIENTS = 1_000;

interface ClientOptions {
  auth?: { installationId?: unknown; cache?: unknown };
}

/**
 * `Base`, whose constructor hands back the client it built before for the same installation of the same
 * Probot (the same token cache). A client for no installation (the App itself, an unauthenticated one)
 * is built anew each time, as before.
 */
export function reusedPerInstallation<C extends Constructor>(Base: C, max = KEPT_INSTALLATION_CLIENTS): C {
  // Per Probot: its token cache is the one every client of its installations asks.
  const byCache = new WeakMap<object, Map<string, object>>();
  const keptFor = (options: ClientOptions | undefined): { clients: Map<string, object>; key: string } | null => {
    const installationId = options?.auth?.installationId;
    const cache = options?.auth?.cache;
    if ((typeof installationId !== "number" && typeof installationId !== "string") || typeof cache !== "object" || cache === null) return null;
    const clients = byCache.get(cache) ?? new Map<string, object>();
    byCache.set(cache, clients);
    return { clients, key: String(installationId) };
  };
  // A constructor may return another object than `this`: here, the kept client.
  return class ReusedPerInstallation extends Base {
    // biome-ignore lint/suspicious/noExplicitAny: mixin constructor signature
    // biome-ignore lint/correctness/noUnreachableSuper: a kept client is returned instead of building one
    constructor(...args: any[]) {
      const kept = keptFor(args[0] as ClientOptions | undefined);
      const client = kept?.clients.get(kept.key);
      if (kept && client) {
        // Map order is insertion order: moving the entry to the end keeps the least recently used first.
        kept.clients.delete(kept.key);
        kept.clients.set(kept.key, client);
        // biome-ignore lint/correctness/noConstructorReturn: the point of this class
        return client as ReusedPerInstallation;
      }
      super(...args);
      if (!kept) return;
      kept.clients.set(kept.key, this);
      if (kept.clients.size > max) kept.clients.delete(kept.clients.keys().next().value!);
    }
  };
}
