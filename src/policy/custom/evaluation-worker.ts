// Runs in a worker thread: loads compiled custom rule modules and evaluates one job at a time. The
// pool that started it keeps the clock and terminates this thread when a rule runs too long.
import { parentPort, workerData } from "node:worker_threads";
import { loadPolicy, type LoadedPolicy } from "@open-policy-agent/opa-wasm";
import type { WorkerJob, WorkerReply } from "./evaluation-messages.js";

const { maxPages } = workerData as { maxPages: number };
// A worker serves a few repositories' modules in turn; each loaded one holds its own WASM memory.
const LOADED = 4;
const loaded = new Map<string, LoadedPolicy>();

async function policyFor(job: WorkerJob): Promise<LoadedPolicy> {
  let policy = loaded.get(job.digest);
  if (!policy) {
    policy = await loadPolicy(job.wasm.slice().buffer as ArrayBuffer, { initial: Math.min(5, maxPages), maximum: maxPages });
    loaded.set(job.digest, policy);
    if (loaded.size > LOADED) loaded.delete(loaded.keys().next().value!);
  }
  return policy;
}

const reply = (message: WorkerReply) => parentPort!.postMessage(message);

parentPort!.on("message", async (job: WorkerJob) => {
  try {
    const policy = await policyFor(job);
    policy.setData(job.data ?? {});
    reply({ id: job.id, kind: "loaded" });
    reply({ id: job.id, kind: "done", result: policy.evaluate(job.input, job.entrypoint) });
  } catch (error) {
    // opa-wasm throws plain strings (opa_abort) and objects as well as Errors.
    const message = error instanceof Error ? error.message : typeof error === "string" ? error : (JSON.stringify(error) ?? String(error));
    reply({ id: job.id, kind: "failed", message });
  }
});
