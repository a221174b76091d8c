import { expect, it } from "vitest";
import { customFindingAnnotations, customRuleErrorAnnotations } from "../../src/github/render-custom-rule-annotations.js";

it("puts a compile error on the file, line and column OPA named", () => {
  const annotations = customRuleErrorAnnotations([
    { file: ".repol/policies/fetch.rego", line: 4, column: 14, message: "builtin http.send is not allowed in repol custom rules: it reaches outside repol" },
  ]);
  expect(annotations).toEqual([
    {
      path: ".repol/policies/fetch.rego",
      start_line: 4,
      end_line: 4,
      start_column: 14,
      end_column: 14,
      annotation_level: "failure",
      title: "custom rules",
      message: "builtin http.send is not allowed in repol custom rules: it reaches outside repol",
    },
  ]);
});

it("names the package of an evaluation error in the title", () => {
  const [annotation] = customRuleErrorAnnotations([
    { file: ".repol/policies/slow.rego", line: 1, column: 1, package: "repol.pullrequest.slow", message: "ran too long" },
  ]);
  expect(annotation?.title).toBe("custom rules repol.pullrequest.slow");
});

it("annotates findings that carry a _loc, as failures when they block and warnings when they warn", () => {
  const annotations = customFindingAnnotations([
    { code: "labels.dnm", msg: "do-not-merge is set", package: "repol.pullrequest.labels", enforcement: "block", file: "infra/main.tf", line: 7 },
    { code: "custom.repol.pullrequest.size", msg: "large", package: "repol.pullrequest.size", enforcement: "warn", file: "src/big.ts" },
    { code: "custom.repol.pullrequest.size", msg: "no location", package: "repol.pullrequest.size", enforcement: "warn" },
  ]);
  expect(annotations).toEqual([
    {
      path: "infra/main.tf",
      start_line: 7,
      end_line: 7,
      annotation_level: "failure",
      title: "labels.dnm",
      message: "do-not-merge is set (repol.pullrequest.labels)",
    },
    {
      path: "src/big.ts",
      start_line: 1,
      end_line: 1,
      annotation_level: "warning",
      title: "custom.repol.pullrequest.size",
      message: "large (repol.pullrequest.size)",
    },
  ]);
});
