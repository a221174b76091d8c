// Where repol's peak resident set comes from: its RSS sampled every 100 ms and kept as the highest
// seen in each phase of the bench (warm-up, bursts, intake), so the peak is charged to what caused it.
// With `describeAtEnd`, each phase's line also says what the memory was made of when it ended
// (heap-statistics.ts): a phase that grew the heap is told apart from one that left garbage behind.
import { memoryOf } from "./proc-stats.js";

const MIB = 2 ** 20;

export interface RssByPhase {
  /** Ends the current phase (described, if asked) and counts later samples towards `phase`. */
  enter(phase: string): Promise<void>;
  /** Ends the last phase and stops sampling; one line per phase, in the order entered. */
  stop(): Promise<string[]>;
}

export function sampleRssByPhase(pid: number, options: { intervalMs?: number; describeAtEnd?: () => Promise<string> } = {}): RssByPhase {
  const highest = new Map<string, number>();
  const atEnd = new Map<string, string>();
  let phase = "start";
  const sample = () => {
    try {
      const rss = memoryOf(pid, "VmRSS");
      highest.set(phase, Math.max(highest.get(phase) ?? 0, rss));
    } catch {
      // repol has exited: the bench reports that itself.
    }
  };
  const end = async () => {
    sample();
    if (!options.describeAtEnd) return;
    try {
      atEnd.set(phase, await options.describeAtEnd());
    } catch (error) {
      atEnd.set(phase, `not described: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(sample, options.intervalMs ?? 100);
  timer.unref();
  return {
    async enter(next) {
      await end();
      phase = next;
    },
    async stop() {
      await end();
      clearInterval(timer);
      return [...highest].map(([name, bytes]) => {
        const described = atEnd.get(name);
        return `  ${name}: ${(bytes / MIB).toFixed(0)} MiB${described ? `; at its end ${described}` : ""}`;
      });
    },
  };
}
