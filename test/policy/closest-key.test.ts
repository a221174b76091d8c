import { describe, expect, it } from "vitest";
import { closestKey, editDistance } from "../../src/policy/closest-key.js";

const rules = ["approvals_required", "allowed_branches", "tests_passed", "required_checks", "signed_off", "max_deployments_per_day"];

describe("closestKey", () => {
  it.each<[string, string | null]>([
    ["approval_required", "approvals_required"],
    ["aprovals_required", "approvals_required"],
    ["allowed_branch", "allowed_branches"],
    ["test_passed", "tests_passed"],
    ["signed-off", "signed_off"],
    ["signed_of", "signed_off"],
    ["Signed_Off", "signed_off"],
    ["singed_off", "signed_off"],
    ["reviewers", null],
    ["branches", null],
    ["x", null],
  ])("suggests a likely intended key for %j", (typed, expected) => {
    expect(closestKey(typed, rules)).toBe(expected);
  });
});

describe("editDistance", () => {
  it.each<[string, string, number]>([
    ["", "", 0],
    ["abc", "abc", 0],
    ["abc", "abd", 1],
    ["abc", "ab", 1],
    ["ab", "ba", 1],
    ["kitten", "sitting", 3],
  ])("counts the edits between %j and %j", (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});
