import { describe, expect, it } from "vitest";
import { loadSettings } from "../src/settings.js";

describe("loadSettings: TRUST_PROXY", () => {
  it.each([
    [undefined, null],
    ["", null],
    ["false", null],
    ["1", 1],
    ["2", 2],
    ["loopback", ["loopback"]],
    ["loopback, 10.0.0.0/8, fd00::/8", ["loopback", "10.0.0.0/8", "fd00::/8"]],
    ["203.0.113.7", ["203.0.113.7"]],
  ])("reads %j as %j", (raw, expected) => {
    expect(loadSettings(raw === undefined ? {} : { TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each([
    ["true", /TRUST_PROXY must be .*"true" is none of these \(true would let any client choose/],
    ["loopback,proxy.example.com", /"proxy\.example\.com" is none of these/],
    ["10.0.0.0/33", /"10\.0\.0\.0\/33"/],
    ["-1", /"-1"/],
  ])("refuses %j with a message that says what it accepts", (raw, message) => {
    expect(() => loadSettings({ TRUST_PROXY: raw })).toThrow(message);
  });
});
