import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { factsQuery, PAGE_KINDS, pageQuery, PROPOSED_FILES } from "../../src/github/facts-queries.js";
import { githubSchema } from "../helpers/github-schema.js";

const errorsOf = (query: string) => validate(githubSchema(), parse(query)).map((error) => error.message);

describe("the GraphQL queries repol sends", () => {
  it.each([
    ["a pull request or a deployment asking the commit for its pull requests", []],
    ["a deployment whose webhook names two pull requests", [42, 57]],
  ])("validates the facts query against GitHub's published schema: %s", (_case, numbers) => {
    expect(errorsOf(factsQuery(numbers))).toEqual([]);
  });

  it.each(PAGE_KINDS)("validates the %s page query against GitHub's published schema", (kind) => {
    expect(errorsOf(pageQuery(kind))).toEqual([]);
  });

  it("validates the facts query's read of a head commit's .repol files, for the policy preview, against GitHub's published schema", () => {
    const query = factsQuery([]);
    for (const alias of Object.values(PROPOSED_FILES))
      expect(query).toMatch(new RegExp(`${alias}: file\\(path: "\\.repol/\\w+\\.yaml"\\) @include\\(if: \\$proposed\\)`));
    expect(errorsOf(query)).toEqual([]);
  });

  it("a query naming a field GitHub does not have fails validation (the check can fail)", () => {
    expect(errorsOf(factsQuery([]).replace("isBinary", "isBinaryFile"))).not.toEqual([]);
  });
});
