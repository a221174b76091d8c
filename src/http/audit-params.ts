// Strict parsing of the /audit query string. A typo must not silently widen an audit search, so
// unknown or repeated parameters are rejected too; every error names the parameter.
import type { AuditQuery } from "../audit/record.js";
import { VERDICT_OUTCOMES as DECISIONS, type VerdictOutcome } from "../domain/verdict.js";
import { decodeCursor } from "../audit/cursor.js";
import { MAX_PAGE_SIZE } from "../audit/audit-filters.js";

export type Parsed<T> = { ok: true; value: T } | { ok: false; parameter: string; message: string };

export type ExportFormat = "ndjson" | "csv";

type Parser = (raw: string) => { value: unknown } | { error: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

const matching =
  (pattern: RegExp, expected: string): Parser =>
  (raw) =>
    pattern.test(raw) ? { value: raw } : { error: `must be ${expected}` };

const FILTERS: Record<string, Parser> = {
  policy: matching(/^[a-z][a-z0-9_-]{0,63}$/, "a policy name such as deploy or pullrequest"),
  decision: (raw) => (DECISIONS.includes(raw as VerdictOutcome) ? { value: raw } : { error: `must be one of ${DECISIONS.join(", ")}` }),
  repository: matching(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, "a repository as owner/name"),
  environment: matching(/^[^\p{Cc}]{1,255}$/u, "an environment name of 1 to 255 printable characters"),
  actor: matching(/^[^\p{Cc}\s]{1,100}$/u, "a GitHub login"),
  pr: (raw) =>
    /^[1-9]\d{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647 ? { value: Number(raw) } : { error: "must be a pull request number (a positive integer)" },
  sha: matching(/^[0-9a-fA-F]{7,40}$/, "a commit SHA or its prefix: 7 to 40 hex characters"),
  since: isoTime,
  until: isoTime,
  exempted: (raw) => (raw === "true" || raw === "false" ? { value: raw === "true" } : { error: "must be true or false" }),
};

const PAGING: Record<string, Parser> = {
  limit: (raw) =>
    /^\d{1,4}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= MAX_PAGE_SIZE
      ? { value: Number(raw) }
      : { error: `must be an integer from 1 to ${MAX_PAGE_SIZE}` },
  cursor: (raw) => {
    try {
      decodeCursor(raw);
      return { value: raw };
    } catch {
      return { error: "is not a cursor returned as `next` by this API" };
    }
  },
};

const FORMAT: Record<string, Parser> = {
  format: (raw) => (raw === "ndjson" || raw === "csv" ? { value: raw } : { error: "must be ndjson or csv" }),
};

/** GET /audit: filters, limit and cursor. */
export function parseListQuery(query: Record<string, unknown>): Parsed<AuditQuery> {
  return parseWith(query, { ...FILTERS, ...PAGING }) as Parsed<AuditQuery>;
}

/** GET /audit/export: filters and format (ndjson by default). */
export function parseExportQuery(query: Record<string, unknown>): Parsed<AuditQuery & { format: ExportFormat }> {
  const parsed = parseWith(query, { ...FILTERS, ...FORMAT });
  if (parsed.ok) parsed.value.format ??= "ndjson";
  return parsed as Parsed<AuditQuery & { format: ExportFormat }>;
}

/** GET /audit/summary: an optional since/until window. */
export function parseWindow(query: Record<string, unknown>): Parsed<{ since?: string; until?: string }> {
  return parseWith(query, { since: isoTime, until: isoTime });
}

function parseWith(query: Record<string, unknown>, parsers: Record<string, Parser>): Parsed<Record<string, unknown>> {
  const value: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(query)) {
    const parse = Object.hasOwn(parsers, name) ? parsers[name] : undefined;
    if (!parse) {
      return { ok: false, parameter: name, message: `unknown parameter "${name}"; known parameters: ${Object.keys(parsers).join(", ")}` };
    }
    if (typeof raw !== "string") return { ok: false, parameter: name, message: `${name} must be given once, as a plain value` };
    const result = parse(raw);
    if ("error" in result) return { ok: false, parameter: name, message: `${name} ${result.error}` };
    value[name] = result.value;
  }
  if (typeof value.since === "string" && typeof value.until === "string" && Date.parse(value.since) >= Date.parse(value.until)) {
    return { ok: false, parameter: "until", message: "until must be later than since" };
  }
  return { ok: true, value };
}

/** ISO 8601: a date (midnight UTC) or a date-time with an explicit offset, so no server time zone leaks in. */
function isoTime(raw: string): { value: string } | { error: string } {
  const expected = "must be an ISO 8601 date (2025-01-31) or date-time with offset (2025-01-31T08:00:00Z)";
  if (!ISO_DATE.test(raw) && !ISO_DATE_TIME.test(raw)) return { error: expected };
  const ms = Date.parse(ISO_DATE.test(raw) ? `${raw}T00:00:00Z` : raw);
  // Date.parse accepts e.g. 2025-02-30 by rolling over; a round trip of the date part catches that.
  if (Number.isNaN(ms) || !sameCalendarDate(raw, ms)) return { error: expected };
  return { value: new Date(ms).toISOString() };
}

function sameCalendarDate(raw: string, ms: number): boolean {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(raw);
  const shift = offset ? (offset[1] === "+" ? 1 : -1) * (Number(offset[2]) * 60 + Number(offset[3])) * 60_000 : 0;
  return new Date(ms + shift).toISOString().slice(0, 10) === raw.slice(0, 10);
}
