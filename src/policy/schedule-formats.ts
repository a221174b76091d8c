// The value formats of deploy_windows and freeze, checked when the config is loaded so that a typo
// is an error at its line, not a window that silently never opens. Each says what it expects.

export interface ValueFormat {
  validate: (value: string) => boolean;
  /** Completes "`field` must be …". */
  expected: string;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2}))$/;

export const SCHEDULE_FORMATS: Record<string, ValueFormat> = {
  "time-of-day": {
    validate: (value) => /^([01]\d|2[0-3]):[0-5]\d$/.test(value),
    expected: "a time of day as HH:MM, from 00:00 to 23:59",
  },
  "end-time-of-day": {
    validate: (value) => /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/.test(value),
    expected: "a time of day as HH:MM, from 00:00 to 24:00 (24:00 is the end of the day)",
  },
  "iana-time-zone": {
    validate: isKnownTimeZone,
    expected: "an IANA time zone name known to repol, such as Europe/Berlin, America/New_York or UTC",
  },
  "rfc3339-instant": {
    validate: isRfc3339Instant,
    expected: "an RFC 3339 date and time with seconds and an offset, such as 2026-12-21T18:00:00+01:00 or 2026-12-21T17:00:00Z",
  },
};

/** Whether Intl knows the zone, by its IANA name (Intl matches names case-insensitively). */
export function isKnownTimeZone(name: string): boolean {
  // Newer runtimes also take offsets such as "+01:00"; a window needs a zone with its DST rules.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function isRfc3339Instant(value: string): boolean {
  const match = RFC3339.exec(value);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  const offsetOk = match[9] === undefined || (Number(match[9]) <= 23 && Number(match[10]) <= 59);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}
