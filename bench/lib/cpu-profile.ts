// Where repol's CPU goes during a burst: repol runs with `node --cpu-prof` (BENCH_CPU_PROFILE=1; npm run
// bench does so in a second pass, since the profiler adds CPU and memory of its own to the figures)
// and writes its profile when it exits; the bench then keeps only the samples
// taken inside each burst's window and sums their self time by module and by function. V8 stamps
// samples with the monotonic clock process.hrtime reads, so the bench's own timestamps select them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const CPU_PROFILE = process.env.BENCH_CPU_PROFILE === "1";

/** A moment on the clock the profile's samples are stamped with, in microseconds. */
export const profileClock = () => Number(process.hrtime.bigint() / 1000n);

export interface ProfileWindow {
  name: string;
  fromUs: number;
  toUs: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** node_modules package, repol's own folder (src/<dir>), node's internals, or V8's pseudo-frames. */
function moduleOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/dist\/src\/([^/]+)\//.exec(url);
  if (own) return `repol src/${own[1]}`;
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  return url.split("/").slice(-2).join("/");
}

const add = (totals: Map<string, number>, key: string, us: number) => totals.set(key, (totals.get(key) ?? 0) + us);

function top(totals: Map<string, number>, all: number, n: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => `${((100 * us) / all).toFixed(1).padStart(6)} %  ${name}`);
}

function nameOf(frame: CpuProfileNode["callFrame"]): string {
  const place = frame.url ? `${frame.url.replace(/^.*\/(node_modules|dist)\//, "")}:${frame.lineNumber + 1}` : "";
  return `${frame.functionName || "(anonymous)"} ${place}`.trim();
}

/** Self time by module and by function inside each window, as printable lines. */
export function summariseProfile(dir: string, windows: ProfileWindow[], n = 12): string[] {
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"));
  if (!file) return [`CPU profile: repol wrote none in ${dir} (did it exit cleanly?)`];
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const lines: string[] = [];
  for (const window of windows) {
    const byModule = new Map<string, number>();
    const byFunction = new Map<string, number>();
    // Inclusive: a sample counts once for every module and function on its stack, so a caller's total
    // includes what it called (Octokit's request → fetch → undici), which self time spreads thin.
    const byModuleInclusive = new Map<string, number>();
    const byFunctionInclusive = new Map<string, number>();
    let at = profile.startTime;
    let all = 0;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      at += delta;
      if (at < window.fromUs || at > window.toUs) return;
      const frame = frames.get(id)!;
      add(byModule, moduleOf(frame.url, frame.functionName), delta);
      add(byFunction, nameOf(frame), delta);
      const modules = new Set<string>();
      const functions = new Set<string>();
      for (let node: number | undefined = id; node !== undefined; node = parents.get(node)) {
        const onStack = frames.get(node)!;
        if (onStack.functionName === "(root)") continue;
        modules.add(moduleOf(onStack.url, onStack.functionName));
        functions.add(nameOf(onStack));
      }
      for (const module of modules) add(byModuleInclusive, module, delta);
      for (const fn of functions) add(byFunctionInclusive, fn, delta);
      all += delta;
    });
    if (all === 0) {
      lines.push(`CPU profile of repol, ${window.name}: no samples in the window`);
      continue;
    }
    lines.push(`CPU profile of repol, ${window.name} (${(all / 1000).toFixed(0)} ms sampled, self time; "(idle)" is waiting):`, "  by module:");
    lines.push(...top(byModule, all, n).map((line) => `    ${line}`), "  by function:", ...top(byFunction, all, n).map((line) => `    ${line}`));
    lines.push("  by module, inclusive (with everything it called):", ...top(byModuleInclusive, all, n).map((line) => `    ${line}`));
    lines.push("  by function, inclusive:", ...top(byFunctionInclusive, all, 4 * n).map((line) => `    ${line}`));
  }
  return lines;
}
