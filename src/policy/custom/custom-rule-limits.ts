// What a repository may submit as custom rules, and what one evaluation may use. Over any of these
// the rules are not applied and the decision fails closed with the message saying which limit.

/** Rule files (tests included) under .repol/policies. */
export const MAX_RULE_FILES = 64;
/** Total bytes of all rule files. */
export const MAX_RULE_BYTES = 512 * 1024;
/** An `opa` run (check or build) is killed after this long. */
export const COMPILE_TIMEOUT_MS = 30_000;
/** Compiles running at once: each is an `opa` process using a core. */
export const CONCURRENT_COMPILES = 1;
/** Compiles waiting for their turn; one more is refused rather than queued without bound. */
export const QUEUED_COMPILES = 16;
/** One evaluation's time once its module is loaded; the worker running it is terminated past it. */
export const EVALUATION_TIMEOUT_MS = 100;
/** Loading a module into a fresh worker (WebAssembly compile) before the evaluation clock starts. */
export const LOAD_TIMEOUT_MS = 5_000;
/** WASM linear memory of one module (64 KiB pages). */
export const MAX_WASM_MEMORY_MIB = 64;
/** JavaScript heap of one evaluation worker (input parsing, result copying). */
export const WORKER_HEAP_MIB = 64;
/** Evaluation workers: small, since an evaluation is short; a slow one only holds its own worker. */
export const EVALUATION_WORKERS = 2;
/** An evaluation worker idle this long is stopped (its heap and loaded modules freed); the next evaluation starts one. */
export const EVALUATION_WORKER_IDLE_MS = 60_000;
/** Compiled modules kept in memory; older ones are loaded from the store again. */
export const CACHED_MODULES = 32;
