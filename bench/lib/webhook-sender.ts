// Signed webhook deliveries as GitHub sends them (X-Hub-Signature-256 over the exact body), posted over
// keep-alive connections by a fixed number of concurrent senders.
import { createHmac, randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

export interface Delivery {
  event: string;
  /** The JSON body, exactly as signed. */
  body: string;
  signature: string;
}

export interface Sent {
  status: number;
  /** POST sent → answer received, in milliseconds. */
  ms: number;
}

export function signedDelivery(event: string, payload: unknown, secret: string): Delivery {
  const body = JSON.stringify(payload);
  return { event, body, signature: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` };
}

export interface WebhookSender {
  /** Posts one delivery under a fresh delivery id (or the one given). */
  post(delivery: Delivery, id?: string): Promise<Sent>;
  close(): void;
}

export function webhookSender(url: string, path: string, connections: number): WebhookSender {
  const target = new URL(path, url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const post = (delivery: Delivery, id: string, retried: boolean): Promise<Sent> => {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(delivery.body),
            "user-agent": "GitHub-Hookshot/bench",
            "x-github-event": delivery.event,
            "x-github-delivery": id,
            "x-hub-signature-256": delivery.signature,
          },
        },
        (res) => {
          res.resume();
          // A connection reset mid-answer is that delivery's failure, not the bench process's crash.
          res.on("error", reject);
          res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
        },
      );
      req.on("error", (error: NodeJS.ErrnoException) => {
        // A kept-alive connection repol closed as idle just as it was reused: GitHub would redeliver,
        // and the same delivery id makes a second POST harmless.
        if (req.reusedSocket && error.code === "ECONNRESET" && !retried) post(delivery, id, true).then(resolve, reject);
        else reject(error);
      });
      req.end(delivery.body);
    });
  };
  return {
    post: (delivery, id = randomUUID()) => post(delivery, id, false),
    close: () => agent.destroy(),
  };
}

/** Runs `work` over `items` with `concurrency` workers, each taking the next item when it is done. */
export async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Runs `work` with `concurrency` workers until `seconds` have passed; returns every result and the time taken. */
export async function forDuration<R>(seconds: number, concurrency: number, work: () => Promise<R>): Promise<{ results: R[]; elapsedMs: number }> {
  const results: R[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) results.push(await work());
    }),
  );
  return { results, elapsedMs: performance.now() - started };
}
