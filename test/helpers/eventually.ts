// Webhooks are answered before they are processed (202, then work from the stored delivery), so a
// test waits for the outcome it asserts: polled, with a bounded wait, never a fixed sleep.

/** Resolves with `probe`'s first truthy result; fails with `what` (and the last error) after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
