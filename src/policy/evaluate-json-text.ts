// One evaluation of a loaded opa-wasm policy, given the input as JSON text. It makes the single
// `opa_eval` call opa-wasm's own evaluate() makes for bundles of ABI 1.2 and later, without its copies:
// evaluate() wants the input as an ArrayBuffer it copies into the policy's memory, then finds the end
// of the result one byte at a time in JavaScript and builds a TextDecoder per call. Here the text is
// encoded straight into the policy's memory and the result is found with one native scan.
// Only engine.ts calls this; a bundle of an older ABI goes through opa-wasm's evaluate(). It reads
// opa-wasm's public-but-internal fields, so package.json pins opa-wasm exactly; its tests compare it
// with evaluate() on every fixture, to be rerun on any upgrade.
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";

const PAGE_BYTES = 64 * 1024;
const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The exports of the ABI 1.2 one-call evaluation (OPA's WebAssembly docs, "opa_eval"). */
interface OneCallExports {
  opa_eval(reserved: 0, entrypoint: number, data: number, input: number, inputLength: number, heap: number, format: 0): number;
}

/** Whether `policy` has the one-call evaluation this module makes; otherwise use its evaluate(). */
export function canEvaluateInOneCall(policy: LoadedPolicy): boolean {
  const exports = instanceOf(policy).exports as Partial<OneCallExports>;
  return Number(policy.minorVersion) >= 2 && typeof exports.opa_eval === "function" && typeof policy.dataHeapPtr === "number";
}

/**
 * The policy's result set for `entrypoint` with the input `json` (undefined: no input), parsed. Throws
 * what opa-wasm would: strings from the policy (opa_abort), RangeError when the memory cannot grow.
 */
export function evaluateJsonText(policy: LoadedPolicy, entrypoint: number, json: string | undefined): unknown {
  const memory = policy.mem;
  // opa-wasm keeps the input right above the data document and resets the heap there on each call.
  const inputAddress = policy.dataHeapPtr as number;
  let inputLength = 0;
  if (json !== undefined) {
    // A UTF-16 unit takes at most 3 bytes in UTF-8; only when that bound does not fit is the exact length worth counting.
    const room = memory.buffer.byteLength - inputAddress;
    if (json.length * 3 > room) {
      const missing = Buffer.byteLength(json, "utf8") - room;
      if (missing > 0) memory.grow(Math.ceil(missing / PAGE_BYTES));
    }
    inputLength = utf8Encoder.encodeInto(json, new Uint8Array(memory.buffer, inputAddress)).written;
  }
  const exports = instanceOf(policy).exports as unknown as OneCallExports;
  const resultAddress = exports.opa_eval(0, entrypoint, policy.dataAddr, json === undefined ? 0 : inputAddress, inputLength, inputAddress + inputLength, 0);
  // The memory may have grown during the evaluation, detaching any earlier view of it.
  const bytes = new Uint8Array(memory.buffer);
  const end = bytes.indexOf(0, resultAddress);
  if (end < 0) throw new Error("the policy's result is not terminated in its memory");
  return JSON.parse(utf8Decoder.decode(bytes.subarray(resultAddress, end)));
}

/** opa-wasm keeps either the instance or the instantiated source that holds it. */
function instanceOf(policy: LoadedPolicy): { exports: object } {
  const held = policy.wasmInstance as { exports?: object; instance?: { exports: object } };
  return held.instance ?? (held as { exports: object });
}
