// The row an /audit/:id route is about, or its 404 answer: one wording for every such route.
import type { Response } from "express";
import { isAuditId } from "../audit/audit-id.js";
import type { AuditRecord } from "../audit/record.js";
import type { AuditStore } from "../audit/store.js";

/** The row with this id; when there is none, answers 404 and returns undefined. */
export async function findAuditRecord(store: AuditStore, id: string, res: Response): Promise<AuditRecord | undefined> {
  const record = isAuditId(id) ? await store.get(id) : undefined;
  if (!record) {
    const shown = isAuditId(id) ? `"${id}"` : "that id (audit ids are 26-character ULIDs)";
    res.status(404).json({ error: "not_found", message: `no audit record with ${shown}` });
  }
  return record;
}
