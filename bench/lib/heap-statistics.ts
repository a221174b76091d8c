// What repol's resident set is made of at a moment, read from its own /metrics (prom-client's default
// process metrics) and /proc: the V8 heap it has reserved against what is live, memory outside the
// heap (Buffers, WASM memories, SQLite's cache), and the pages mapped from files (mostly the node
// binary, shared with every other node process). RSS alone cannot tell a leak from a heap V8 keeps grown.
import { readFileSync } from "node:fs";

const MIB = 2 ** 20;

export interface HeapStatistics {
  /** The V8 heap reserved (all spaces) and the part of it holding live or not yet collected objects. */
  heapTotal: number;
  heapUsed: number;
  /** The young generation's reserved size (twice the semi-space). */
  newSpace: number;
  /** Memory outside the V8 heap that V8 is told about: Buffers, ArrayBuffers, WASM memories. */
  external: number;
  /** The built-in policy's WASM linear memory (part of `external`). */
  policyWasm: number;
  /** Resident pages not backed by a file (heap, malloc, WASM) and backed by one (binary, libraries). */
  rssAnon: number;
  rssFile: number;
  /** Time spent in garbage collection since repol started, in seconds, and the number of collections. */
  gcSeconds: number;
  gcCount: number;
}

const metricValue = (text: string, name: string): number => {
  const match = new RegExp(`^${name.replace(/[{}"]/g, "\\$&")} (\\S+)$`, "m").exec(text);
  return match ? Number(match[1]) : Number.NaN;
};

const sumOf = (text: string, name: string): number =>
  [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, "gm"))].reduce((sum, match) => sum + Number(match[1]), 0);

const statusField = (status: string, field: string): number => {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
};

/** Reads both; NaN for a figure repol's /metrics does not expose. */
export async function heapStatisticsOf(pid: number, url: string): Promise<HeapStatistics> {
  const response = await fetch(`${url}/metrics`);
  if (!response.ok) throw new Error(`repol's /metrics answered ${response.status}`);
  const text = await response.text();
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return {
    heapTotal: metricValue(text, "repol_nodejs_heap_size_total_bytes"),
    heapUsed: metricValue(text, "repol_nodejs_heap_size_used_bytes"),
    newSpace: metricValue(text, 'repol_nodejs_heap_space_size_total_bytes{space="new"}'),
    external: metricValue(text, "repol_nodejs_external_memory_bytes"),
    policyWasm: metricValue(text, "repol_policy_wasm_memory_bytes"),
    rssAnon: statusField(status, "RssAnon"),
    rssFile: statusField(status, "RssFile"),
    gcSeconds: sumOf(text, "repol_nodejs_gc_duration_seconds_sum"),
    gcCount: sumOf(text, "repol_nodejs_gc_duration_seconds_count"),
  };
}

const mib = (bytes: number, digits = 0) => (Number.isNaN(bytes) ? "?" : (bytes / MIB).toFixed(digits));

/** One line: "heap 58 of 80 MiB used (young 8), external 6 (policy WASM 1), anonymous 120, file-backed 49 MiB; GC so far 2.1 s in 900 collections". */
export function describeHeap(heap: HeapStatistics): string {
  return `heap ${mib(heap.heapUsed)} of ${mib(heap.heapTotal)} MiB used (young ${mib(heap.newSpace)}), external ${mib(heap.external)} (policy WASM ${mib(heap.policyWasm, 1)}), anonymous ${mib(heap.rssAnon)}, file-backed ${mib(heap.rssFile)} MiB; GC so far ${heap.gcSeconds.toFixed(1)} s in ${heap.gcCount} collections`;
}
