// A client of an OPA server's Data API as a sidecar user would write it: keep-alive connections, one
// POST /v1/data/<package path>/<rule> per rule (no metrics, no explanation), input serialised once per query.
import { Agent, request } from "node:http";

export interface OpaClient {
  /** Evaluates each rule of the package (concurrently, one connection each) and returns their results. */
  query(packagePath: string, rules: readonly string[], input: unknown): Promise<unknown[]>;
  close(): void;
}

export function opaClient(url: string, connections: number): OpaClient {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const post = (path: string, body: string) =>
    new Promise<unknown>((resolve, reject) => {
      const req = request(
        `${url}${path}`,
        { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200) reject(new Error(`OPA answered ${res.statusCode} to ${path}: ${text}`));
            else resolve((JSON.parse(text) as { result?: unknown }).result);
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  return {
    query(packagePath, rules, input) {
      const body = JSON.stringify({ input });
      return Promise.all(rules.map((rule) => post(`/v1/data/${packagePath}/${rule}`, body)));
    },
    close: () => agent.destroy(),
  };
}
