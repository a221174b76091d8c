import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../../src/durability/retry-delay.js";

describe("retryDelayMs", () => {
  const policy = { baseMs: 5_000, capMs: 60_000 };

  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [4, 40_000],
    [5, 60_000],
    [50, 60_000],
  ])("waits at most %i → %i ms, doubling up to the cap", (attempts, most) => {
    expect(retryDelayMs(attempts, policy, () => 1)).toBe(most);
  });

  it("spreads retries over the last fifth below that, so effects failing together come back apart", () => {
    expect(retryDelayMs(2, policy, () => 0)).toBe(8_000);
    expect(retryDelayMs(2, policy, () => 0.5)).toBe(9_000);
  });
});
