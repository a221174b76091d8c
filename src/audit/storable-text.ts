// Webhook text is attacker-controlled and may hold what a database cannot store: PostgreSQL rejects
// NUL characters, and unpaired UTF-16 surrogates become invalid UTF-8 in SQLite or are rejected by
// jsonb. A rejected insert would lose the audit row, so both adapters replace them with U+FFFD
// (the same way, so a row reads back identically from either store).

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// ES2024's String.prototype.isWellFormed (Node 20), which the ES2023 library types do not declare yet.
type MaybeWellFormed = string & { isWellFormed(): boolean };

export function storableText<T>(value: T): T {
  if (typeof value !== "string") return value;
  // Almost every text (a whole webhook body among them) needs nothing: two native scans tell, where
  // the pattern with its lookarounds costs more than either. The pattern runs only on text it changes.
  if (value.indexOf("\u0000") === -1 && (value as string as MaybeWellFormed).isWellFormed()) return value;
  return value.replace(UNSTORABLE, "\ufffd") as T;
}

/** A deep copy of a JSON value with every string, keys included, made storable. */
export function storableJson(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === "object") {
    const withToJson = value as { toJSON?: () => unknown };
    // Honour toJSON (e.g. Date) as JSON.stringify would.
    if (typeof withToJson.toJSON === "function") return storableJson(withToJson.toJSON());
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item)]));
  }
  return value;
}

// JSON.stringify writes NUL and an unpaired surrogate only as these escapes (a paired one as itself).
const ESCAPED_UNSTORABLE = /\\u(?:0000|d[89a-f][0-9a-f]{2})/i;

/** Column value → what the adapter binds: JSON columns as JSON text, others with text made storable. */
export function storableColumn(value: unknown, isJson: boolean): unknown {
  if (!isJson) return storableText(value);
  // Most values hold nothing unstorable: their JSON is written once, without first copying the value.
  const text = JSON.stringify(value);
  return text !== undefined && !ESCAPED_UNSTORABLE.test(text) ? text : JSON.stringify(storableJson(value));
}
