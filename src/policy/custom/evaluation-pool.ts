// Evaluates compiled custom rules in worker threads, off the event loop: a rule that loops or grows
// cannot stall webhook intake or other evaluations. Past its time limit, or out of memory, a worker is
// terminated and replaced, and the evaluation is an error (never an allow). A worker is started on
// first use and stopped once idle: each holds its own V8 heap and up to four modules' WASM memories.
import { Worker } from "node:worker_threads";
import {
  EVALUATION_TIMEOUT_MS,
  EVALUATION_WORKER_IDLE_MS,
  EVALUATION_WORKERS,
  LOAD_TIMEOUT_MS,
  MAX_WASM_MEMORY_MIB,
  WORKER_HEAP_MIB,
} from "./custom-rule-limits.js";
import type { WorkerJob, WorkerReply } from "./evaluation-messages.js";

export type EvaluationOutcome = { ok: true; result: unknown } | { ok: false; message: string };

export interface EvaluationPoolOptions {
  workers?: number;
  timeoutMs?: number;
  loadTimeoutMs?: number;
  maxMemoryMiB?: number;
  /** A worker with nothing to evaluate for this long is stopped; the next evaluation starts one. */
  idleMs?: number;
  /** Runs `stop` after `ms` unless cancelled; tests pass one they fire by hand. */
  scheduleIdleStop?: (stop: () => void, ms: number) => () => void;
}

export interface EvaluationPool {
  evaluate(job: Omit<WorkerJob, "id">): Promise<EvaluationOutcome>;
  close(): Promise<void>;
  /** Worker threads alive now. */
  workers(): number;
}

interface Running {
  job: WorkerJob;
  settle(outcome: EvaluationOutcome): void;
  timer: NodeJS.Timeout;
}

interface Slot {
  /** Started on the first evaluation: a repol whose repositories have no custom rules runs no workers. */
  worker?: Worker;
  running?: Running;
  /** Cancels the pending stop of an idle worker. */
  cancelIdleStop?: () => void;
}

// Under vitest or tsx the sources are TypeScript: the worker then starts with a line that imports
// the worker module through tsx. The build runs the compiled .js directly.
const runningTs = import.meta.url.endsWith(".ts");
const WORKER: string | URL = runningTs
  ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => tsx.tsImport(${JSON.stringify(new URL("./evaluation-worker.ts", import.meta.url).href)}, ${JSON.stringify(import.meta.url)}));`
  : new URL("./evaluation-worker.js", import.meta.url);

const unrefTimer = (stop: () => void, ms: number) => {
  const timer = setTimeout(stop, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

export function evaluationPool(options: EvaluationPoolOptions = {}): EvaluationPool {
  const timeoutMs = options.timeoutMs ?? EVALUATION_TIMEOUT_MS;
  const loadTimeoutMs = options.loadTimeoutMs ?? LOAD_TIMEOUT_MS;
  const idleMs = options.idleMs ?? EVALUATION_WORKER_IDLE_MS;
  const scheduleIdleStop = options.scheduleIdleStop ?? unrefTimer;
  const maxPages = Math.ceil(((options.maxMemoryMiB ?? MAX_WASM_MEMORY_MIB) * 1024 * 1024) / 65536);
  const waiting: Running[] = [];
  let nextId = 1;
  let closed = false;

  const startWorker = (slot: Slot): Worker => {
    const worker = new Worker(WORKER, {
      eval: runningTs,
      workerData: { maxPages },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MIB, maxYoungGenerationSizeMb: 16 },
    });
    slot.worker = worker;
    worker.unref();
    worker.on("message", (reply: WorkerReply) => onReply(slot, worker, reply));
    // An exit or error while a job runs (out of memory, a crash) fails that job; the slot gets a new worker.
    worker.on("error", (error) => replace(slot, worker, `the evaluation worker failed: ${error.message}`));
    worker.on("exit", (code) => replace(slot, worker, `the evaluation worker stopped (exit ${code})`));
    return worker;
  };

  const finish = (slot: Slot, outcome: EvaluationOutcome) => {
    const running = slot.running;
    if (!running) return;
    clearTimeout(running.timer);
    slot.running = undefined;
    running.settle(outcome);
    dispatch();
    if (!slot.running && slot.worker && !closed) stopWhenIdle(slot, slot.worker);
  };

  const stopWhenIdle = (slot: Slot, worker: Worker) => {
    slot.cancelIdleStop?.();
    // A timer already due when new work arrived may still run: `due` and the checks make it a no-op.
    let due = true;
    const cancelTimer = scheduleIdleStop(() => {
      if (!due || slot.worker !== worker || slot.running) return;
      slot.worker = undefined;
      slot.cancelIdleStop = undefined;
      void worker.terminate();
    }, idleMs);
    slot.cancelIdleStop = () => {
      due = false;
      cancelTimer();
    };
  };

  const replace = (slot: Slot, worker: Worker, message: string) => {
    if (slot.worker !== worker || closed) return;
    void worker.terminate();
    slot.worker = undefined;
    finish(slot, { ok: false, message });
  };

  const onReply = (slot: Slot, worker: Worker, reply: WorkerReply) => {
    const running = slot.running;
    if (slot.worker !== worker || !running || running.job.id !== reply.id) return;
    if (reply.kind === "loaded") {
      clearTimeout(running.timer);
      running.timer = setTimeout(() => replace(slot, worker, `the rules ran longer than the ${timeoutMs} ms limit and were stopped`), timeoutMs);
    } else if (reply.kind === "done") finish(slot, { ok: true, result: reply.result });
    else finish(slot, { ok: false, message: reply.message });
  };

  const slots: Slot[] = Array.from({ length: options.workers ?? EVALUATION_WORKERS }, () => ({}));

  function dispatch(): void {
    for (const slot of slots) {
      if (slot.running || waiting.length === 0) continue;
      const running = waiting.shift()!;
      slot.cancelIdleStop?.();
      slot.cancelIdleStop = undefined;
      const worker = slot.worker ?? startWorker(slot);
      running.timer = setTimeout(() => replace(slot, worker, `loading the compiled rules took longer than ${loadTimeoutMs} ms`), loadTimeoutMs);
      slot.running = running;
      worker.postMessage(running.job);
    }
  }

  return {
    evaluate(job) {
      if (closed) return Promise.resolve({ ok: false, message: "the evaluation pool is closed" });
      return new Promise((settle) => {
        waiting.push({ job: { ...job, id: nextId++ }, settle, timer: undefined as unknown as NodeJS.Timeout });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const running of waiting.splice(0)) running.settle({ ok: false, message: "the evaluation pool is closed" });
      for (const slot of slots) {
        slot.cancelIdleStop?.();
        finish(slot, { ok: false, message: "the evaluation pool is closed" });
      }
      await Promise.all(
        slots.map((slot) => {
          const worker = slot.worker;
          slot.worker = undefined;
          return worker?.terminate();
        }),
      );
    },
    workers: () => slots.filter((slot) => slot.worker).length,
  };
}
