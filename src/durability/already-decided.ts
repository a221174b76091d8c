// The cheap early exit before judging: a delivery key whose decision is already recorded (a delivery
// processed again after a crash between recording and marking it done, or a redelivery that got past
// the intake) is not judged again, so no GitHub call is made for it. The guard that actually prevents
// a second answer is the unique delivery_id in recordWithEffect (see docs/durability.md).
import type { AuditStore } from "../audit/store.js";
import type { Log } from "../domain/log.js";

export async function alreadyDecided(store: Pick<AuditStore, "findByDelivery">, deliveryKey: string, log: Pick<Log, "warn">): Promise<boolean> {
  try {
    return (await store.findByDelivery(deliveryKey)) !== undefined;
  } catch (error) {
    // Judging anyway is safe: only one decision per key can be recorded, and the same broken store
    // makes the decision fail closed (deployments_today unreadable, the record refused).
    log.warn({ delivery: deliveryKey, err: error }, "audit store unavailable while checking for a redelivery");
    return false;
  }
}
