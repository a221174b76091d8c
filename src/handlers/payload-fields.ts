// GitHub always sends these fields; a delivery without them (a replay edited by hand, a proxy that
// cut the body) cannot be judged. It is refused with the names of what is missing instead of failing
// somewhere inside a handler with a TypeError.

type Kind = "string" | "number" | "array";

export { NO_INSTALLATION } from "../domain/not-judged.js";

/** Thrown for a webhook that lacks what the handler needs; webhook middleware answers its `status`. */
export class IncompletePayloadError extends Error {
  readonly status = 400;
}

/**
 * Throws IncompletePayloadError naming every field of `required` (dotted path → expected kind) that is
 * missing or of another kind in `payload`.
 */
export function requirePayloadFields(event: string, payload: unknown, required: Record<string, Kind>): void {
  const missing = Object.entries(required)
    .filter(([path, kind]) => !isKind(valueAt(payload, path), kind))
    .map(([path]) => path);
  if (missing.length > 0) {
    throw new IncompletePayloadError(`the ${event} webhook lacks ${missing.join(", ")}; it was not judged`);
  }
}

function valueAt(payload: unknown, path: string): unknown {
  let value: unknown = payload;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function isKind(value: unknown, kind: Kind): boolean {
  if (kind === "array") return Array.isArray(value);
  if (kind === "number") return typeof value === "number" && Number.isSafeInteger(value);
  return typeof value === "string" && value !== "";
}
