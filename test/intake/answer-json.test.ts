// answerJson against express's res.json on a real server: the same status, body and headers, bar the ETag.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { answerJson } from "../../src/intake/answer-json.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function serve(app: express.Express): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function answered(url: string) {
  const response = await fetch(url, { method: "POST" });
  const headers = Object.fromEntries(["content-type", "content-length", "connection", "etag"].map((name) => [name, response.headers.get(name)]));
  return { status: response.status, body: await response.text(), headers };
}

const BODY = { status: "accepted", delivery: "d-1", note: "é ünïcode 🚀" };

describe("answerJson", () => {
  it("writes what res.json writes, without the ETag", async () => {
    const app = express();
    app.post("/express", (_req, res) => void res.status(202).json(BODY));
    app.post("/direct", (_req, res) => answerJson(res, 202, BODY));
    const url = await serve(app);

    const byExpress = await answered(`${url}/express`);
    const direct = await answered(`${url}/direct`);

    expect(byExpress.headers.etag).not.toBeNull();
    expect(direct).toEqual({ ...byExpress, headers: { ...byExpress.headers, etag: null } });
    expect(JSON.parse(direct.body)).toEqual(BODY);
  });

  it("closes the connection when asked", async () => {
    const app = express();
    app.post("/", (_req, res) => answerJson(res, 503, { error: "shutting_down" }, { close: true }));
    const direct = await answered(await serve(app));

    expect(direct).toMatchObject({ status: 503, body: '{"error":"shutting_down"}', headers: { connection: "close" } });
  });
});
