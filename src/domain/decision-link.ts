// Where a person looks at a decision: the audit page, addressed by the delivery key that recorded it,
// since a check run or a callback comment is written before (or while) its audit row gets an id.

/** The audit page's path for the decision recorded under `deliveryKey`. */
export function decisionPathOf(deliveryKey: string): string {
  return `/ui/deliveries/${encodeURIComponent(deliveryKey)}`;
}

/** The link shown on GitHub, or null when PUBLIC_URL is not set (repol's address is unknown then). */
export function decisionLinkOf(publicUrl: string | null, deliveryKey: string): string | null {
  return publicUrl === null ? null : `${publicUrl}${decisionPathOf(deliveryKey)}`;
}

/** The audit page of a recorded decision, by its audit row id. */
export function auditPathOf(auditId: string): string {
  return `/ui/decisions/${encodeURIComponent(auditId)}`;
}
