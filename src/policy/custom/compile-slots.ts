// Compiles running at once, with a bounded line of those waiting: a burst of pushes with new rules
// queues behind a few `opa` processes instead of starting one per event, and past the line is refused.

export interface CompileSlots {
  /** Runs `task` when a slot is free; undefined when the line is full (the caller fails closed). */
  run<T>(task: () => Promise<T>): Promise<T> | undefined;
}

export function compileSlots(concurrent: number, queued: number): CompileSlots {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  return {
    run(task) {
      if (running < concurrent) {
        running++;
        return task().finally(release);
      }
      if (waiting.length >= queued) return undefined;
      return new Promise<void>((resolve) => waiting.push(resolve)).then(() => task().finally(release));
    },
  };
}
