// A policy input as the JSON text opa-wasm copies into WASM memory. Shared by the built-in engine and
// the custom rule workers, so both read the same document as OPA would.
import { replaceLoneSurrogates } from "./lone-surrogate.js";

const utf8 = new TextEncoder();

/**
 * JSON text keeps null, 0 and "" distinct: given an object opa-wasm would serialise it itself, and a
 * bare `undefined` (or any falsy value) would reach the policy as "no input". `what` names the input in errors.
 */
export function encodePolicyInput(input: unknown, what: string): ArrayBuffer | undefined {
  const text = policyInputJson(input, what);
  return text === undefined ? undefined : jsonTextBuffer(text);
}

/** The input as the JSON text OPA would read (see encodePolicyInput); undefined for no input. */
export function policyInputJson(input: unknown, what: string): string | undefined {
  try {
    const text = JSON.stringify(input);
    // JSON.stringify writes a lone UTF-16 surrogate (a webhook field, a config key) as the escape
    // \udXXX, which the WASM JSON parser refuses, failing every evaluation of that input, while OPA
    // reads it as U+FFFD. Replacing lone surrogates with U+FFFD first gives both the same document.
    // JSON.stringify writes those escapes in lower case, so a text without "\\ud" (nearly every
    // input) skips the pattern.
    if (text === undefined || !text.includes("\\ud") || !LONE_SURROGATE_ESCAPE.test(text)) return text;
    return JSON.stringify(wellFormed(JSON.parse(text)));
  } catch (error) {
    throw new Error(`${what} is not JSON-serialisable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const LONE_SURROGATE_ESCAPE = /\\ud[89a-f]/;

/** JSON text as the UTF-8 bytes opa-wasm reads. */
export function jsonTextBuffer(text: string): ArrayBuffer {
  return arrayBufferOf(utf8.encode(text));
}

/** opa-wasm takes ArrayBuffers; a view onto part of a larger buffer (a pooled Buffer) is copied out. */
export function arrayBufferOf(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
}

/** A copy of parsed JSON with every lone surrogate, in keys too, replaced by U+FFFD. A key that then equals a later one gives way to it, as in OPA. */
function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return replaceLoneSurrogates(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (typeof value !== "object" || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const fixed = replaceLoneSurrogates(key);
    // defineProperty, because assigning a key named __proto__ would call its setter.
    Object.defineProperty(copy, fixed, { value: wellFormed(item), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}
