// A JavaScript string may hold half of a UTF-16 surrogate pair (from a `\u` escape in YAML or
// JSON). OPA reads such a half as U+FFFD and the WASM build refuses it, so repol finds or replaces them.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The first lone surrogate in `text`, if any. */
export function firstLoneSurrogate(text: string): string | undefined {
  return text.match(new RegExp(LONE_SURROGATE.source))?.[0];
}

/** `text` with each lone surrogate replaced by U+FFFD, as OPA decodes it. */
export function replaceLoneSurrogates(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}
