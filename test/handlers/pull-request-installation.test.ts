// Pull request, review and re-run deliveries that name no installation (a repository webhook pointed at
// repol, say): acknowledged and recorded as not judged, with nothing asked of GitHub. GitHub is faked
// at the HTTP boundary (nock), which must see no request at all.
import { afterEach, describe, expect, it } from "vitest";
import { pullRequestHarness, type PullRequestHarness } from "../helpers/pull-request-harness.js";
import { HEAD_SHA, webhook } from "../helpers/pull-request-scenario.js";

const NOT_JUDGED = "the webhook names no installation: repol judges only repositories it is installed on";
const EXAMPLE_HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";

let h: PullRequestHarness;

afterEach(async () => {
  await h.close();
});

const withoutInstallation = (fixture: string) => webhook(fixture, (p) => void delete p.installation);

describe("a delivery without an installation", () => {
  it.each([
    ["pull_request", "pull_request.opened.github_example", "opened"],
    ["pull_request_review", "pull_request_review.submitted.github_example", "submitted"],
  ])("%s: GitHub's recorded example is recorded as not judged, and GitHub is asked nothing", async (event, fixture, action) => {
    h = await pullRequestHarness();

    await h.deliver(event, withoutInstallation(fixture), `no-installation-${event}`);

    expect(h.github.requests).toEqual([]);
    expect(await h.rows()).toEqual([
      expect.objectContaining({
        delivery_id: `no-installation-${event}`,
        event,
        action,
        policy: "pullrequest",
        decision: "error",
        error: NOT_JUDGED,
        repository: "Codertocat/Hello-World",
        installation_id: null,
        pr_number: 2,
        sha: EXAMPLE_HEAD_SHA,
        ref: "refs/heads/master",
        violations: [],
        input: null,
        effect: { kind: "check_run", ok: false, error: `not posted: ${NOT_JUDGED}` },
      }),
    ]);
  });

  it("check_run rerequested: recorded as not judged, and GitHub is asked nothing", async () => {
    h = await pullRequestHarness();

    await h.deliver("check_run", withoutInstallation("check_run.rerequested"), "no-installation-rerun");

    expect(h.github.requests).toEqual([]);
    expect(await h.rows()).toEqual([
      expect.objectContaining({
        delivery_id: "no-installation-rerun",
        decision: "error",
        error: NOT_JUDGED,
        installation_id: null,
        sha: HEAD_SHA,
        pr_number: null,
      }),
    ]);
  });

  it("still judges a delivery that names its installation", async () => {
    h = await pullRequestHarness();

    await h.deliver("pull_request", webhook("pull_request.opened"), "with-installation");

    expect(h.github.calls("create-check-run")).toHaveLength(1);
    expect((await h.rows())[0]).toMatchObject({ decision: "deny", installation_id: 4242 });
  });
});
