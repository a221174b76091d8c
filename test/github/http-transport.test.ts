// repol's fetch over node:http, against servers on 127.0.0.1: what Octokit reads from its answers, one
// kept-open connection for many requests, and failures shaped as Node's fetch shapes them, so
// timed-fetch.ts still names a timeout and a refused connection.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { httpTransport } from "../../src/github/http-transport.js";
import { NoAnswerFromGitHub, timedFetch } from "../../src/github/timed-fetch.js";
import { closedPort } from "../helpers/closed-port.js";

interface Served {
  url: string;
  requests: IncomingMessage[];
  connections: number;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(answer: (request: IncomingMessage, response: ServerResponse) => void): Promise<Served> {
  const served: Served = { url: "", requests: [], connections: 0 };
  const server = createServer((request, response) => {
    served.requests.push(request);
    request.resume();
    request.on("end", () => answer(request, response));
  });
  server.on("connection", () => served.connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  served.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return served;
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    response.end(JSON.stringify(body));
  };

const octokitAt = (baseUrl: string, fetch = httpTransport()) => new Octokit({ baseUrl, request: { fetch } });

describe("httpTransport", () => {
  it("gives Octokit GitHub's status, headers and JSON, on a GitHub Enterprise Server path", async () => {
    const github = await serve(json(200, { full_name: "acme/widgets" }, { "x-ratelimit-remaining": "4999" }));

    const { status, headers, data, url } = await octokitAt(`${github.url}/api/v3`).request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "widgets" });

    expect({ status, data, url }).toEqual({ status: 200, data: { full_name: "acme/widgets" }, url: `${github.url}/api/v3/repos/acme/widgets` });
    expect(headers["x-ratelimit-remaining"]).toBe("4999");
    expect(github.requests[0]!.url).toBe("/api/v3/repos/acme/widgets");
  });

  it("sends the body and headers Octokit gives it", async () => {
    const github = await serve((_request, response) => response.writeHead(204).end());

    await octokitAt(github.url).request("POST /graphql", { query: "query { viewer { login } }", headers: { authorization: "token ghs_x" } });

    expect(github.requests[0]!.method).toBe("POST");
    const body = JSON.stringify({ query: "query { viewer { login } }" });
    expect(github.requests[0]!.headers).toMatchObject({
      authorization: "token ghs_x",
      "content-type": "application/json; charset=utf-8",
      "content-length": String(Buffer.byteLength(body)),
    });
  });

  it("keeps one connection open for request after request", async () => {
    const github = await serve(json(200, {}));
    const octokit = octokitAt(github.url);

    for (let i = 0; i < 3; i++) await octokit.request("GET /meta");

    expect(github.requests).toHaveLength(3);
    expect(github.connections).toBe(1);
  });

  it("turns a non-JSON error page into Octokit's error with GitHub's status and the page's text", async () => {
    const github = await serve((_request, response) => response.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>"));

    const failure = await octokitAt(github.url)
      .request("GET /meta")
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ status: 502, message: "<h1>Bad gateway</h1>", response: { data: "<h1>Bad gateway</h1>" } });
  });

  it("decodes a gzip-compressed answer", async () => {
    const github = await serve((_request, response) => {
      response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      response.end(gzipSync(JSON.stringify({ zipped: true })));
    });

    expect((await octokitAt(github.url).request("GET /meta")).data).toEqual({ zipped: true });
  });

  it("follows a redirect, sending the token to the same host only", async () => {
    const elsewhere = await serve(json(200, { moved: true }));
    const github = await serve((request, response) => {
      if (request.url === "/repos/acme/old") return response.writeHead(301, { location: "/repos/acme/new" }).end();
      if (request.url === "/repos/acme/new") return response.writeHead(307, { location: `${elsewhere.url}/repos/acme/new` }).end();
    });

    const { data } = await octokitAt(github.url).request("GET /repos/acme/old", { headers: { authorization: "token ghs_x" } });

    expect(data).toEqual({ moved: true });
    expect(github.requests.map((request) => request.headers.authorization)).toEqual(["token ghs_x", "token ghs_x"]);
    expect(elsewhere.requests[0]!.headers.authorization).toBeUndefined();
  });

  it("lets timed-fetch name a GitHub that does not answer in time", async () => {
    const github = await serve(() => {}); // never answers

    const failure = await timedFetch(50, httpTransport())(`${github.url}/meta`).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(NoAnswerFromGitHub);
    expect(failure).toMatchObject({ reason: "timeout" });
  });

  it("lets timed-fetch name a connection that is refused", async () => {
    const port = await closedPort();

    const failure = await timedFetch(5_000, httpTransport())(`http://127.0.0.1:${port}/meta`).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(NoAnswerFromGitHub);
    expect(failure).toMatchObject({ reason: "connect", message: `could not connect to GitHub (ECONNREFUSED 127.0.0.1:${port})` });
  });
});
