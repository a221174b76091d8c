// repol end to end, as its own process (node dist/src/main.js) against a fake GitHub on 127.0.0.1 in
// another: GitHub calls per event, decisions per second and CPU per decision, durable intake against
// a naive receiver, and repol's peak memory with every installation warmed. Figures are printed,
// never asserted. Run: npm run bench (or, after npm run build: node --import tsx bench/end-to-end.ts).
// Knobs: BENCH_INSTALLATIONS (1000), BENCH_DECISIONS per burst (200), BENCH_INTAKE_SECONDS (4),
// BENCH_INTAKE_ROUNDS (3), BENCH_REPOL_LOG_LEVEL (repol's default), BENCH_KEEP_LOGS=1, BENCH_CPU_PROFILE=1
// (profile repol: where its CPU goes in each burst), BENCH_FIGURES=0 (print the figures, do not report them).
import { rmSync } from "node:fs";
import { measureCallsPerEvent } from "./end-to-end/calls-per-event.js";
import { measureDecisions, warmUp } from "./end-to-end/decisions.js";
import { measureIntake } from "./end-to-end/intake.js";
import { startRig, stopRig } from "./end-to-end/rig.js";
import { summariseProfile, type ProfileWindow } from "./lib/cpu-profile.js";
import { memoryOf } from "./lib/proc-stats.js";
import { nodeFlags } from "./lib/repol-process.js";
import { report, type Figure } from "./lib/results.js";
import { describeHeap, heapStatisticsOf } from "./lib/heap-statistics.js";
import { sampleRssByPhase } from "./lib/rss-by-phase.js";
import { builtSqliteSynchronous } from "./lib/sqlite-durability.js";

const INSTALLATIONS = Number(process.env.BENCH_INSTALLATIONS ?? 1000);
const DECISIONS = Math.min(INSTALLATIONS, Number(process.env.BENCH_DECISIONS ?? 200));
const MIB = 2 ** 20;

const rig = await startRig(INSTALLATIONS);
let figures: Figure[];
let details: string[];
let windows: ProfileWindow[];
try {
  console.log(
    `repol (pid ${rig.repol.pid}, node flags: ${nodeFlags().join(" ") || "none"}) at ${rig.repol.url}, fake GitHub (pid ${rig.github.pid}) at ${rig.apiUrl}, ${INSTALLATIONS} installations`,
  );
  const synchronous = builtSqliteSynchronous();
  console.log(`repol's SQLite store: synchronous = ${synchronous}`);
  const rss = sampleRssByPhase(rig.repol.pid, { describeAtEnd: async () => describeHeap(await heapStatisticsOf(rig.repol.pid, rig.repol.url)) });
  await rss.enter("calls per event");
  const calls = await measureCallsPerEvent(rig);
  await rss.enter("warm-up");
  console.log((await warmUp(rig, DECISIONS)).join("\n"));
  const rssWarm = memoryOf(rig.repol.pid, "VmRSS");
  await rss.enter("decision bursts");
  const decisions = await measureDecisions(rig, DECISIONS);
  await rss.enter("intake rounds");
  const intake = await measureIntake(rig, synchronous);
  console.log(intake.details.join("\n"));
  console.log(["Highest RSS of repol in each phase (sampled every 100 ms):", ...(await rss.stop())].join("\n"));
  const peak = memoryOf(rig.repol.pid, "VmHWM");
  figures = [
    ...intake.figures,
    ...decisions.figures,
    {
      figure: `Peak RSS of repol (VmHWM), whole run, ${INSTALLATIONS.toLocaleString("en-US")} installations warmed`,
      goal: "< 200 MiB",
      result: `${(peak / MIB).toFixed(0)} MiB (RSS after the warm-up: ${(rssWarm / MIB).toFixed(0)} MiB)`,
      met: peak < 200 * MIB,
    },
    ...calls.figures,
  ];
  details = calls.details;
  windows = [...decisions.windows, ...intake.windows];
} catch (error) {
  console.error(`repol's log ends with:\n${rig.repol.logTail(30)}`);
  throw error;
} finally {
  await stopRig(rig);
}
// repol writes its CPU profile as it exits, so the profile is read once it has stopped.
const profileDir = rig.repol.cpuProfileDir;
if (profileDir) {
  console.log(summariseProfile(profileDir, windows).join("\n"));
  rmSync(profileDir, { recursive: true, force: true });
}
// A profiled pass prints its figures for reference only: the profiler's own cost is in them.
if (process.env.BENCH_FIGURES === "0")
  console.log(`Figures of this profiled pass (not reported):\n${figures.map((f) => `  ${f.figure}: ${f.result}`).join("\n")}`);
else report({ figures, details });
