import { describe, expect, it } from "vitest";
import { oneAfterAnother } from "../../src/handlers/registry.js";
import type { EventHandler, HandlerDeps } from "../../src/handlers/types.js";

type Review = EventHandler<"pull_request_review.submitted">;
const context = {} as Parameters<Review>[0];
const deps = {} as HandlerDeps;

describe("oneAfterAnother", () => {
  it("runs both handlers in order", async () => {
    const ran: string[] = [];
    const first: Review = async () => void ran.push("first");
    const second: Review = async () => void ran.push("second");
    await oneAfterAnother(first, second)(context, deps);
    expect(ran).toEqual(["first", "second"]);
  });

  it("still runs the second when the first fails, then throws the first failure", async () => {
    const ran: string[] = [];
    const first: Review = async () => {
      throw new Error("pull request check failed");
    };
    const second: Review = async () => void ran.push("second");
    await expect(oneAfterAnother(first, second)(context, deps)).rejects.toThrow("pull request check failed");
    expect(ran).toEqual(["second"]);
  });
});
