// Renders audit rows as NDJSON or CSV and writes them to a response as they arrive, waiting for the
// client to drain, so an export of millions of rows never sits in memory.
import type { Writable } from "node:stream";
import type { AuditRecord } from "../audit/record.js";
import { AUDIT_COLUMNS } from "../audit/audit-row.js";

export function ndjsonLine(record: AuditRecord): string {
  return `${JSON.stringify(record)}\n`;
}

export const CSV_HEADER = `${AUDIT_COLUMNS.join(",")}\r\n`;

export function csvLine(record: AuditRecord): string {
  return `${AUDIT_COLUMNS.map((column) => csvCell(record[column])).join(",")}\r\n`;
}

/**
 * One RFC 4180 cell. Objects become JSON text. Text that a spreadsheet would run as a formula
 * (leading = + - @, tab or CR) is prefixed with a single quote, since webhook text is attacker-controlled.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Writes each row's text to `out`, pausing whenever `out` is full. Stops pulling rows (which ends the
 * database iteration) as soon as the client goes away. Resolves with whether every row was written.
 */
export async function writeRows<T>(rows: AsyncIterable<T>, out: Writable, render: (row: T) => string): Promise<boolean> {
  for await (const row of rows) {
    if (out.destroyed || out.writableEnded) return false;
    if (!out.write(render(row)) && !(await drained(out))) return false;
  }
  return !out.destroyed;
}

/**
 * Reads the first row before anything is sent, so a store that is down answers a clean 500 instead of
 * a cut-off 200. The returned iterable yields that row, then the rest.
 */
export async function startedRows<T>(rows: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      try {
        if (first.done) return;
        yield first.value;
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      } finally {
        // Stopping early (client gone) must still end the database iteration.
        await iterator.return?.();
      }
    },
  };
}

/** True once `out` can take more, false if it closed first. */
function drained(out: Writable): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    const finish = (ok: boolean) => {
      out.off("drain", onDrain);
      out.off("close", onClose);
      out.off("error", onClose);
      resolve(ok);
    };
    out.on("drain", onDrain);
    out.on("close", onClose);
    out.on("error", onClose);
  });
}
