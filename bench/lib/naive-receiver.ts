// The naive durable receiver the intake is compared with, run as its own process: check the HMAC of
// each delivery, then one INSERT committed on its own with synchronous=FULL (WAL), then answer 202.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";

const secret = process.env.BENCH_NAIVE_SECRET!;
const db = new Database(process.env.BENCH_NAIVE_DB!);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.exec("CREATE TABLE IF NOT EXISTS deliveries (id TEXT PRIMARY KEY, event TEXT NOT NULL, body TEXT NOT NULL, received_at TEXT NOT NULL)");
const insert = db.prepare("INSERT OR IGNORE INTO deliveries (id, event, body, received_at) VALUES (?, ?, ?, ?)");

const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body).digest("hex")}`);
  const given = Buffer.from(String(req.headers["x-hub-signature-256"] ?? ""));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    res.writeHead(400).end();
    return;
  }
  insert.run(String(req.headers["x-github-delivery"]), String(req.headers["x-github-event"]), body.toString("utf8"), new Date().toISOString());
  res.writeHead(202, { "content-type": "application/json" }).end('{"status":"accepted"}');
});
server.keepAliveTimeout = 60_000;
process.on("disconnect", () => process.exit(0));
server.listen(0, "127.0.0.1", () => process.send!({ type: "listening", port: (server.address() as AddressInfo).port }));
