// The hash chain on SQLite. The single writer orders it: every chained insert runs inside the caller's
// write transaction, reads the head, inserts the row linked to it and moves the head, all in one commit.
import type Database from "better-sqlite3";
import type { NewAuditRecord } from "./record.js";
import { chainedRowParams, chainStateFrom, recordFromText, type ChainLink, type ChainState } from "./chain.js";
import { chainedRecordFrom, type ChainedRecord } from "./verify-chain.js";
import { preparedStatement as statement } from "./prepared-statement.js";
import { storableText } from "./storable-text.js";

type Row = Record<string, unknown>;

/** Inserts `row` at the end of the chain; a delivery already recorded is not inserted again. Call inside a transaction. */
export function insertChainedSqlite(db: Database.Database, row: NewAuditRecord, createdAt: Date): { inserted: boolean; id: string } {
  const { head } = sqliteChainState(db);
  const { id, columns, params, link } = chainedRowParams(row, createdAt, head);
  const insert = `INSERT INTO audit_records (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ON CONFLICT (delivery_id) DO NOTHING`;
  const result = statement(db, insert).run(...params);
  if (result.changes === 1) {
    statement(db, "UPDATE audit_chain SET head_seq = ?, head_hash = ? WHERE singleton = 1").run(link.seq, link.hash);
    return { inserted: true, id };
  }
  const existing = statement(db, "SELECT id FROM audit_records WHERE delivery_id = ?").pluck().get(storableText(row.delivery_id));
  if (typeof existing !== "string") throw new Error(`audit insert of delivery ${row.delivery_id} neither inserted nor found a row`);
  return { inserted: false, id: existing };
}

export function sqliteChainState(db: Database.Database): ChainState {
  return chainStateFrom(statement(db, "SELECT * FROM audit_chain WHERE singleton = 1").get() as Row | undefined);
}

/** The chained rows after the anchor up to the head, in chain order, fetched `chunkSize` at a time. */
export async function* sqliteChainRows(db: Database.Database, state: ChainState, chunkSize: number): AsyncIterable<ChainedRecord> {
  const next = statement(db, "SELECT * FROM audit_records WHERE chain_seq > ? AND chain_seq <= ? ORDER BY chain_seq LIMIT ?");
  let after = state.anchor.seq;
  for (;;) {
    const chunk = next.all(after, state.head.seq, chunkSize) as Row[];
    for (const row of chunk) yield chainedRecordFrom(row, recordFromText(row));
    if (chunk.length < chunkSize) return;
    after = chunk.at(-1)!.chain_seq as number;
    // Reads are synchronous here: yield between chunks so webhooks are still served during a long walk.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Deletes up to `batch` chained rows from the start of the chain, all created before `cutoff`, and
 * stops at the first row that is not (so what is left is still one unbroken chain). The last deleted
 * row becomes the anchor verification starts from. Call inside a transaction; returns rows deleted.
 */
export function purgeChainPrefixSqlite(db: Database.Database, cutoff: string, batch: number): number {
  const firstKept = statement(db, "SELECT min(chain_seq) FROM audit_records WHERE created_at >= ?").pluck().get(cutoff) as number | null;
  const last = statement(
    db,
    `SELECT chain_seq AS seq, row_hash AS hash FROM
       (SELECT chain_seq, row_hash FROM audit_records WHERE chain_seq IS NOT NULL AND chain_seq < ? ORDER BY chain_seq LIMIT ?)
     ORDER BY chain_seq DESC LIMIT 1`,
  ).get(firstKept ?? Number.MAX_SAFE_INTEGER, batch) as ChainLink | undefined;
  if (!last) return 0;
  const { changes } = statement(db, "DELETE FROM audit_records WHERE chain_seq <= ?").run(last.seq);
  statement(db, "UPDATE audit_chain SET anchor_seq = ?, anchor_hash = ? WHERE singleton = 1").run(last.seq, last.hash);
  return changes;
}
