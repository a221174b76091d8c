// The body repol's Octokit takes from an Answer must be what @octokit/request would have parsed from
// the same answer: each case is sent through Octokit's request both ways and the data compared.
import { Octokit } from "@octokit/rest";
import { describe, expect, it } from "vitest";
import { Answer, answering } from "../../src/github/answer.js";

type Case = { name: string; contentType: string | null; body: string | Uint8Array };

const CASES: Case[] = [
  { name: "a JSON object", contentType: "application/json; charset=utf-8", body: '{"data":{"a":[1,2.5,null,true,"x"]},"id":42}' },
  { name: "an integer beyond 2^53 (a BigInt)", contentType: "application/json", body: '{"id":12345678901234567890,"small":7}' },
  { name: "a negative integer beyond 2^53", contentType: "application/json", body: "[-9007199254740993]" },
  { name: "16 digits that still fit", contentType: "application/json", body: '{"id":1234567890123456}' },
  { name: "16 digits inside a string", contentType: "application/json", body: '{"sha":"1234567890123456789a","n":1}' },
  { name: "a string shaped like a marked BigInt", contentType: "application/json", body: '{"v":"12345678901234567890n","w":"12n"}' },
  { name: "big exponents and fractions", contentType: "application/json", body: "[1e21,12345678901234567890.5,-0]" },
  { name: "JSON that does not parse", contentType: "application/json", body: '{"broken":' },
  { name: "an empty JSON answer", contentType: "application/json", body: "" },
  { name: "SCIM JSON", contentType: "application/scim+json", body: '{"schemas":[]}' },
  { name: "upper-case JSON media type", contentType: "Application/JSON", body: '{"a":1}' },
  { name: "text", contentType: "text/plain", body: "hello" },
  { name: "no content type", contentType: null, body: "plain" },
  { name: "utf-8 of another type", contentType: "application/vnd.github.diff; charset=UTF-8", body: "diff --git" },
  { name: "octet-stream claiming utf-8", contentType: "application/octet-stream; charset=utf-8", body: new Uint8Array([0, 255, 1]) },
  { name: "binary", contentType: "application/zip", body: new Uint8Array([80, 75, 3, 4]) },
];

function answeredWith(item: Case): typeof fetch {
  return async () => new Response(item.body, { status: 200, headers: item.contentType === null ? {} : { "content-type": item.contentType } });
}

async function dataOf(item: Case, ours: boolean): Promise<unknown> {
  const fetch = ours ? answering(answeredWith(item)) : answeredWith(item);
  const octokit = new Octokit({ baseUrl: "http://127.0.0.1:1", request: { fetch, parseSuccessResponseBody: !ours } });
  const { data } = await octokit.request("GET /anything");
  return data instanceof ArrayBuffer ? [...new Uint8Array(data)] : data;
}

describe("Answer.body", () => {
  it.each(CASES)("decodes $name as @octokit/request does", async (item) => {
    expect(await dataOf(item, true)).toStrictEqual(await dataOf(item, false));
  });

  it("keeps integers beyond 2^53 exact", async () => {
    expect(await dataOf(CASES[1]!, true)).toStrictEqual({ id: 12345678901234567890n, small: 7 });
  });

  it("passes an Answer through without reading it again", async () => {
    const answer = new Answer(200, "OK", "http://127.0.0.1:1/", new Headers({ "content-type": "application/json" }), Buffer.from("[1]"));
    const fetch = answering(async () => answer as unknown as Response);
    expect(await fetch("http://127.0.0.1:1/")).toBe(answer);
    expect(answer.body).toBe(answer.body);
  });
});
