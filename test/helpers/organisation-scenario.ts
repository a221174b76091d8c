// A repository and its owner's `.github` repository on a fake GitHub at 127.0.0.1, with repol served
// over HTTP on a clock the test moves: for the end-to-end tests of organisation governance.
import { expect } from "vitest";
import type { AuditRecord } from "../../src/audit/record.js";
import { eventually } from "./eventually.js";
import { fakeGitHub, type FakeGitHub } from "./fake-github.js";
import type { Route } from "./github-router.js";
import { ManualClock } from "./manual-clock.js";
import { scenarioRoutes, webhook, type PullRequestScenario } from "./pull-request-scenario.js";
import { repolOverHttp, type RepolOverHttp } from "./repol-over-http.js";
import { contentsRoute } from "./repository-contents.js";

const AUDIT_TOKEN = "org-audit-token";

export interface OrganisationScenario {
  s: PullRequestScenario;
  github: FakeGitHub;
  repol: RepolOverHttp;
  clock: ManualClock;
  /** Delivers a pull request event (a fixture name) and waits until repol has finished with it; its row, if it wrote one. */
  judge(event?: string): Promise<AuditRecord | undefined>;
  /** GET /audit?<query> */
  audit(query: string): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

/** `org`: the `.github` repository's files by path, read on every event; `routes` win over the scenario's. */
export async function startOrganisation(s: PullRequestScenario, org: Record<string, string>, routes: Route[] = []): Promise<OrganisationScenario> {
  const github = await fakeGitHub([contentsRoute("acme/.github", org, "org-contents"), ...scenarioRoutes(s), ...routes]);
  const clock = new ManualClock("2025-03-01T12:00:00.000Z");
  const repol = await repolOverHttp(github, { AUDIT_API_TOKEN: AUDIT_TOKEN }, { clock });
  return {
    s,
    github,
    repol,
    clock,
    async judge(event = "pull_request.opened") {
      const { id, status } = await repol.deliver(event.split(".")[0]!, webhook(event));
      expect(status).toBe(202);
      expect(await repol.work.intake.queue.drain(10_000)).toBe(true);
      const row = await repol.gate.store.findByDelivery(id);
      if (row) await eventually("the check run write", async () => (await repol.gate.store.findByDelivery(id))?.effect.ok);
      return row;
    },
    async audit(query) {
      const response = await fetch(`${repol.url}/audit?${query}`, { headers: { authorization: `Bearer ${AUDIT_TOKEN}` } });
      expect(response.status).toBe(200);
      return ((await response.json()) as { rows: AuditRecord[] }).rows;
    },
    async close() {
      await repol.close();
      await github.close();
    },
  };
}
