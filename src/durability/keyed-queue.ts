// Two webhooks for the same PR commit (a review and a push arriving together) must not both see
// "no check run yet" and each create one; running their work one after the other per key prevents it.

export type KeyedQueue = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/** Runs work for the same key strictly in arrival order; different keys run concurrently. */
export function createKeyedQueue(): KeyedQueue & { readonly size: number } {
  const tails = new Map<string, Promise<void>>();
  const run = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    // A failed predecessor must not stop its successors.
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
  return Object.defineProperty(run, "size", { get: () => tails.size }) as KeyedQueue & { readonly size: number };
}
