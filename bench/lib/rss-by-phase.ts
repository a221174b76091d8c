// Where repol's peak resident set comes from: its RSS sampled every 100 ms and kept as the highest
// seen in each phase of the bench (warm-up, bursts, intake), so the peak is charged to what caused it.
import { memoryOf } from "./proc-stats.js";

const MIB = 2 ** 20;

export interface RssByPhase {
  /** Later samples count towards `phase`. */
  enter(phase: string): void;
  /** Stops sampling; one line per phase, in the order entered. */
  stop(): string[];
}

export function sampleRssByPhase(pid: number, intervalMs = 100): RssByPhase {
  const highest = new Map<string, number>();
  let phase = "start";
  const sample = () => {
    try {
      const rss = memoryOf(pid, "VmRSS");
      highest.set(phase, Math.max(highest.get(phase) ?? 0, rss));
    } catch {
      // repol has exited: the bench reports that itself.
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    enter(next) {
      sample();
      phase = next;
    },
    stop() {
      sample();
      clearInterval(timer);
      return [...highest].map(([name, bytes]) => `  ${name}: ${(bytes / MIB).toFixed(0)} MiB`);
    },
  };
}
