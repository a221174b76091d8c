// POST /audit/preview over HTTP, against a real SQLite store seeded with recorded deployments and the
// compiled policy; every answer is checked against docs/openapi.yaml.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOpenApi } from "../helpers/openapi.js";
import { type PreviewApi, servePreviewApi } from "../helpers/preview-api.js";
import { deployYaml, recordedDeployment } from "../org/preview-fixtures.js";

const TOKEN = "preview-token-1234";
const openapi = loadOpenApi();
let api: PreviewApi;
let flipped: string;

beforeAll(async () => {
  api = await servePreviewApi(TOKEN, "https://repol.example");
  flipped = (await api.store.insert(recordedDeployment({ approvers: ["alice"] }))).id;
  await api.store.insert(recordedDeployment({ approvers: ["alice", "bob"] }));
});

afterAll(() => api.close());

async function postPreview(body: unknown, token = TOKEN) {
  const response = await fetch(`${api.url}/audit/preview`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json: any = await response.json();
  openapi.assertResponse("/audit/preview", "post", response.status, response.headers.get("content-type"), json);
  return { status: response.status, body: json };
}

describe("POST /audit/preview", () => {
  it("lists the recorded deployment a stricter deploy.yaml would reject, linked to its audit row", async () => {
    const { status, body } = await postPreview({ repository: "acme/shop", files: { ".repol/deploy.yaml": deployYaml("approvals_required: 2") } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ flips: 1, same: 1, cannot_tell: 0 });
    expect(body.entries).toEqual([
      expect.objectContaining({ kind: "flip", audit_id: flipped, recorded: "allow", proposed: "deny", link: `/ui/decisions/${flipped}` }),
    ]);
    expect(body.output.conclusion).toBe("neutral");
    expect(body.output.summary).toContain(`https://repol.example/ui/decisions/${flipped}`);
  });

  it("answers 422 with positioned errors and a failing output for invalid files", async () => {
    const { status, body } = await postPreview({ repository: "acme/shop", files: { ".repol/deploy.yaml": deployYaml("approvals: 2") } });
    expect(status).toBe(422);
    expect(body.errors[0]).toMatchObject({ file: ".repol/deploy.yaml", line: 5 });
    expect(body.output).toMatchObject({ conclusion: "failure", annotations: [expect.objectContaining({ path: ".repol/deploy.yaml", start_line: 5 })] });
  });

  it.each([
    [{ files: { ".repol/deploy.yaml": "x" } }, "repository"],
    [{ repository: "acme/shop", owner: "acme", files: { ".repol/deploy.yaml": "x" } }, "repository"],
    [{ repository: "acme/shop", files: {} }, "files"],
    [{ repository: "acme/shop", files: { ".repol/deploy.yaml": 3 } }, "files"],
    [{ repository: "acme/shop", files: { ".repol/deploy.yaml": "x" }, limit: 0 }, "limit"],
    [{ repository: "acme/shop", files: { ".repol/deploy.yaml": "x" }, dry: true }, "dry"],
  ])("answers 400 naming the field for %j", async (body, parameter) => {
    const answer = await postPreview(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: "bad_request", parameter });
  });

  it("refuses a request without the token", async () => {
    expect((await postPreview({ repository: "acme/shop", files: {} }, "wrong")).status).toBe(401);
  });
});
