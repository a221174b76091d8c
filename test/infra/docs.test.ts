// The operator guides exist, and every relative link in them points at a file in the repository.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/policy-bundle.js";

const guides = {
  "docs/register-the-app.md": "# Register the App",
  "docs/local-development.md": "# Local development with smee",
  "docs/deploy.md": "# Deploy with Docker / Kubernetes",
  "docs/check-your-policy.md": "# Check your policy before pushing",
  "docs/coming-from-gitpoli.md": "# Coming from gitpoli",
  "smee/README.md": "# smee relay",
  "infra/README.md": "# infra",
};

describe.each(Object.entries(guides))("%s", (file, title) => {
  const text = readFileSync(join(repoRoot, file), "utf8");

  it("starts with its section title", () => {
    expect(text.split("\n")[0]).toBe(title);
  });

  it("links only to files that exist", () => {
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1]!).filter((target) => !/^[a-z]+:/.test(target));
    const broken = targets.filter((target) => !existsSync(join(repoRoot, dirname(file), target)));
    expect(broken).toEqual([]);
  });

  it("names only npm scripts that package.json defines", () => {
    const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts as Record<string, string>;
    const named = [...text.matchAll(/npm run ([a-z:-]+)/g)].map((match) => match[1]!);
    expect(named.filter((name) => !(name in scripts))).toEqual([]);
  });
});
