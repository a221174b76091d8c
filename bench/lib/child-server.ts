// A bench server in its own process (the fake GitHub, the naive receiver): forked with an IPC channel,
// it reports { type: "listening", port } once it listens on 127.0.0.1, and exits when the channel closes.
import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";

export interface ChildServer {
  child: ChildProcess;
  port: number;
  /** Closes the channel, which makes the child exit, and waits for it. */
  stop(): Promise<void>;
}

export async function forkChildServer(file: URL, env: Record<string, string>): Promise<ChildServer> {
  const child = fork(file, [], { execArgv: ["--import", "tsx"], env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = once(child, "exit");
  const port = await new Promise<number>((resolve, reject) => {
    const listening = (message: { type?: string; port?: number }) => {
      if (message.type !== "listening") return;
      child.off("message", listening);
      resolve(message.port!);
    };
    child.on("message", listening);
    void exited.then(([code]) => reject(new Error(`${file.pathname} exited with ${code} before listening`)));
  });
  return {
    child,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      await exited;
    },
  };
}
