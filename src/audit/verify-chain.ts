// Walks the hash chain from its anchor to its head and names the first row that breaks it.
import type { AuditRecord } from "./record.js";
import { linkHash, type ChainLink, type ChainState } from "./chain.js";

/** A chained row as read back: its content plus the chain columns stored with it. */
export interface ChainedRecord {
  record: AuditRecord;
  seq: number;
  prevHash: string;
  rowHash: string;
}

/** The chain columns of a stored row next to its decoded content. */
export function chainedRecordFrom(row: Record<string, unknown>, record: AuditRecord): ChainedRecord {
  return { record, seq: Number(row.chain_seq), prevHash: String(row.prev_hash), rowHash: String(row.row_hash) };
}

export interface ChainVerdict {
  ok: boolean;
  /** Rows that verified before the first break (all of them when ok). */
  rows: number;
  /** Sequence number the walk started after: 0, or the last row retention purged. */
  anchor_seq: number;
  /** id is null when the break is after the last row (rows at the end were deleted). */
  first_broken?: { id: string | null; reason: string };
}

/** `rows` must come in chain order, limited to seq in (anchor.seq, head.seq]. Reads them one at a time. */
export async function verifyChain(state: ChainState, rows: AsyncIterable<ChainedRecord>): Promise<ChainVerdict> {
  let previous: ChainLink = state.anchor;
  let verified = 0;
  const broken = (id: string | null, reason: string): ChainVerdict => ({
    ok: false,
    rows: verified,
    anchor_seq: state.anchor.seq,
    first_broken: { id, reason },
  });
  for await (const row of rows) {
    const reason = linkProblem(row, previous);
    if (reason) return broken(row.record.id, reason);
    previous = { seq: row.seq, hash: row.rowHash };
    verified++;
  }
  if (previous.seq !== state.head.seq || previous.hash !== state.head.hash) {
    return broken(null, `the chain head is at row ${state.head.seq} but the last row found is ${previous.seq}: rows at the end were deleted`);
  }
  return { ok: true, rows: verified, anchor_seq: state.anchor.seq };
}

function linkProblem(row: ChainedRecord, previous: ChainLink): string | undefined {
  if (linkHash(row.record, row.seq, row.prevHash) !== row.rowHash) {
    return `hash mismatch: the row's content no longer matches the hash written with it (edited after it was recorded)`;
  }
  if (row.seq !== previous.seq + 1) {
    return `prev mismatch: chain row ${row.seq} follows row ${previous.seq}; rows ${previous.seq + 1}..${row.seq - 1} were deleted`;
  }
  if (row.prevHash !== previous.hash) {
    return `prev mismatch: the previous-row hash does not match chain row ${previous.seq} (a row was replaced or reordered)`;
  }
  return undefined;
}
