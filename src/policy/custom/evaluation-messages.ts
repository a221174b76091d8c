// What the evaluation pool and its workers say to each other.

export interface WorkerJob {
  id: number;
  digest: string;
  wasm: Uint8Array;
  entrypoint: string;
  /** JSON text of the input (see encodePolicyInput), or undefined for no input. */
  input: ArrayBuffer | undefined;
  data?: unknown;
}

/** "loaded" starts the evaluation clock: loading a module into a fresh worker is not the rule's time. */
export type WorkerReply = { id: number; kind: "loaded" } | { id: number; kind: "done"; result: unknown } | { id: number; kind: "failed"; message: string };
