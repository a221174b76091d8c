// Where each work table keeps what the lease mechanism needs, read by both SQL dialects
// (sqlite-leases.ts, postgres-leases.ts) so the two tables share one implementation of claims.

export interface LeasedTable {
  table: "deliveries" | "outbox";
  key: string;
  /** When the row is next due: the lease end while it is claimed. */
  due: string;
  /** Creation time: claims go oldest first; purges cut on it. */
  created: string;
  /** More columns set to the lease end while claimed, and cleared when the holder is gone. */
  leaseColumns: string[];
  /** Condition, besides being pending and due, for a row to be claimable; `@now` is the current time. */
  claimable: string;
  /** Condition for a row to still be held by a claim, so its lease can be renewed. */
  held: string;
}

export const DELIVERY_TABLE: LeasedTable = {
  table: "deliveries",
  key: "delivery_id",
  due: "due_at",
  created: "received_at",
  leaseColumns: [],
  claimable: "TRUE",
  held: "status = 'pending'",
};

export const OUTBOX_TABLE: LeasedTable = {
  table: "outbox",
  key: "id",
  due: "next_attempt_at",
  created: "created_at",
  leaseColumns: ["leased_until"],
  // One attempt per target at a time, so an older effect still being sent cannot land after a newer one.
  claimable:
    "(target IS NULL OR NOT EXISTS (SELECT 1 FROM outbox busy WHERE busy.target = outbox.target AND busy.id <> outbox.id AND busy.leased_until > @now))",
  // A superseded effect still being sent keeps its lease too: it holds the target until it lands.
  held: "leased_until IS NOT NULL",
};
