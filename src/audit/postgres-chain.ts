// The hash chain on PostgreSQL. Several replicas insert at once, so the one row of audit_chain orders
// them: each inserting transaction locks it FOR UPDATE, links its row to the head it read and moves the
// head, and commits with its row; the next replica's transaction waits for that lock and sees the new head.
import type pg from "pg";
import type { NewAuditRecord } from "./record.js";
import { recordFrom } from "./audit-row.js";
import { chainedRowParams, chainStateFrom, type ChainState } from "./chain.js";
import { chainedRecordFrom, type ChainedRecord } from "./verify-chain.js";
import { storableText } from "./storable-text.js";

type Queryable = Pick<pg.PoolClient, "query">;

const HEAD = "SELECT * FROM audit_chain WHERE singleton = 1";

/** Inserts `row` at the end of the chain; a delivery already recorded is not inserted again. Call inside a transaction. */
export async function insertChainedPostgres(client: Queryable, row: NewAuditRecord, createdAt: Date): Promise<{ inserted: boolean; id: string }> {
  const { head } = chainStateFrom((await client.query(`${HEAD} FOR UPDATE`)).rows[0]);
  const { columns, params, link } = chainedRowParams(row, createdAt, head);
  const inserted = await client.query<{ id: string }>(
    `INSERT INTO audit_records (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})
     ON CONFLICT (delivery_id) DO NOTHING RETURNING id`,
    params,
  );
  if (inserted.rows.length === 1) {
    await client.query("UPDATE audit_chain SET head_seq = $1, head_hash = $2 WHERE singleton = 1", [link.seq, link.hash]);
    return { inserted: true, id: inserted.rows[0]!.id };
  }
  const existing = await client.query<{ id: string }>("SELECT id FROM audit_records WHERE delivery_id = $1", [storableText(row.delivery_id)]);
  if (existing.rows.length !== 1) throw new Error(`audit insert of delivery ${row.delivery_id} neither inserted nor found a row`);
  return { inserted: false, id: existing.rows[0]!.id };
}

export async function postgresChainState(client: Queryable): Promise<ChainState> {
  return chainStateFrom((await client.query(HEAD)).rows[0]);
}

/** The chained rows after the anchor up to the head, in chain order, fetched `chunkSize` at a time. */
export async function* postgresChainRows(client: Queryable, state: ChainState, chunkSize: number): AsyncIterable<ChainedRecord> {
  let after = state.anchor.seq;
  for (;;) {
    const { rows } = await client.query("SELECT * FROM audit_records WHERE chain_seq > $1 AND chain_seq <= $2 ORDER BY chain_seq LIMIT $3", [
      after,
      state.head.seq,
      chunkSize,
    ]);
    for (const row of rows) yield chainedRecordFrom(row, recordFrom(row));
    if (rows.length < chunkSize) return;
    after = Number(rows.at(-1)!.chain_seq);
  }
}

/**
 * Deletes up to `batch` chained rows from the start of the chain, all created before `cutoff`, and
 * records the last one as the anchor (see purgeChainPrefixSqlite). Call inside a transaction.
 */
export async function purgeChainPrefixPostgres(client: Queryable, cutoff: string, batch: number): Promise<number> {
  // The anchor shares the head's row: holding it keeps inserts from linking to rows being deleted.
  await client.query(`${HEAD} FOR UPDATE`);
  const { rows } = await client.query<{ seq: string; hash: string }>(
    `SELECT chain_seq AS seq, row_hash AS hash FROM
       (SELECT chain_seq, row_hash FROM audit_records
         WHERE chain_seq < coalesce((SELECT min(chain_seq) FROM audit_records WHERE created_at >= $1), 9223372036854775807)
         ORDER BY chain_seq LIMIT $2) AS prefix
     ORDER BY chain_seq DESC LIMIT 1`,
    [cutoff, batch],
  );
  const last = rows[0];
  if (!last) return 0;
  const { rowCount } = await client.query("DELETE FROM audit_records WHERE chain_seq <= $1", [last.seq]);
  await client.query("UPDATE audit_chain SET anchor_seq = $1, anchor_hash = $2 WHERE singleton = 1", [last.seq, last.hash]);
  return rowCount ?? 0;
}
