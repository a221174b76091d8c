// Starts the fake GitHub in its own process and talks to it: which calls it answered, and when each
// verdict reached it.
import { forkChildServer } from "../lib/child-server.js";
import type { FromFakeGitHub, ToFakeGitHub } from "./protocol.js";
import type { Answer } from "./rest-routes.js";

export interface AnswerWatch {
  /** Resolves once every expected key has an answer, or at the timeout with those that came. */
  done: Promise<{ answers: Answer[]; missing: string[] }>;
}

export interface FakeGitHub {
  /** host:port, for GHE_HOST. */
  host: string;
  pid: number;
  /** Calls answered since the previous take, by route. */
  takeCounts(): Promise<Record<string, number>>;
  /** Watches for the first answer to each key from now on; start it before sending what causes them. */
  expectAnswers(keys: Iterable<string>, timeoutMs: number): AnswerWatch;
  stop(): Promise<void>;
}

export async function startFakeGitHub({ installations, appId }: { installations: number; appId: number }): Promise<FakeGitHub> {
  const server = await forkChildServer(new URL("./server.ts", import.meta.url), {
    BENCH_FAKE_INSTALLATIONS: String(installations),
    BENCH_FAKE_APP_ID: String(appId),
  });
  const { child } = server;
  const watches = new Set<(answer: Answer) => void>();
  const pending = new Map<number, (counts: Record<string, number>) => void>();
  let nextId = 1;
  child.on("message", (message: FromFakeGitHub) => {
    if (message.type === "answer") for (const watch of watches) watch(message.answer);
    else if (message.type === "counts") pending.get(message.id)?.(message.counts);
  });
  const send = (message: ToFakeGitHub) => child.send(message);
  return {
    host: `127.0.0.1:${server.port}`,
    pid: child.pid!,
    takeCounts() {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, (counts) => {
          pending.delete(id);
          resolve(counts);
        });
        send({ type: "take-counts", id });
      });
    },
    expectAnswers(keys, timeoutMs) {
      const wanted = new Set(keys);
      const answers = new Map<string, Answer>();
      let finish: () => void = () => {};
      const done = new Promise<{ answers: Answer[]; missing: string[] }>((resolve) => {
        const timer = setTimeout(() => finish(), timeoutMs);
        finish = () => {
          clearTimeout(timer);
          watches.delete(watch);
          resolve({ answers: [...answers.values()], missing: [...wanted].filter((key) => !answers.has(key)) });
        };
      });
      const watch = (answer: Answer) => {
        if (!wanted.has(answer.key) || answers.has(answer.key)) return;
        answers.set(answer.key, answer);
        if (answers.size === wanted.size) finish();
      };
      watches.add(watch);
      if (wanted.size === 0) finish();
      return { done };
    },
    stop: () => server.stop(),
  };
}
