import { describe, expect, it } from "vitest";
import { hasSignOff, judgeSignOff } from "../../src/core/judge-sign-off.js";
import { signedOff } from "../helpers/deployment-scenario.js";

const EMAIL = "alice@example.com";

describe("hasSignOff", () => {
  it.each([
    { name: "accepts a trailer naming the author's email", message: `Fix bug\n\nSigned-off-by: Alice <${EMAIL}>`, ok: true },
    {
      name: "accepts it among other trailers",
      message: `Fix bug\n\nBody.\n\nCo-authored-by: Bob <bob@example.com>\nSigned-off-by: Alice <${EMAIL}>`,
      ok: true,
    },
    { name: "compares the email without regard to case", message: `Fix bug\n\nSigned-off-by: Alice <Alice@Example.COM>`, ok: true },
    { name: "accepts a lower-case trailer key, as git does", message: `Fix bug\n\nsigned-off-by: Alice <${EMAIL}>`, ok: true },
    { name: "accepts CRLF line endings", message: `Fix bug\r\n\r\nSigned-off-by: Alice <${EMAIL}>\r\n`, ok: true },
    { name: "rejects a sign-off by someone else", message: `Fix bug\n\nSigned-off-by: Bob <bob@example.com>`, ok: false },
    { name: "rejects a message with no trailer", message: "Fix bug\n\nJust a body.", ok: false },
    { name: "rejects a sign-off in the subject paragraph", message: `Fix bug\nSigned-off-by: Alice <${EMAIL}>`, ok: false },
    { name: "rejects a sign-off quoted in the middle of the body", message: `Fix bug\n\nSigned-off-by: Alice <${EMAIL}>\n\nMore prose after it.`, ok: false },
    { name: "rejects a trailer without an email", message: "Fix bug\n\nSigned-off-by: Alice", ok: false },
    { name: "rejects an email that only contains the author's", message: `Fix bug\n\nSigned-off-by: Alice <x${EMAIL}>`, ok: false },
    { name: "rejects a misspelled key", message: `Fix bug\n\nSigned-of-by: Alice <${EMAIL}>`, ok: false },
  ])("$name", ({ message, ok }) => {
    expect(hasSignOff(message, EMAIL)).toBe(ok);
  });

  it("rejects every commit whose author has no email", () => {
    expect(hasSignOff(`Fix\n\nSigned-off-by: Alice <${EMAIL}>`, null)).toBe(false);
  });
});

describe("judgeSignOff", () => {
  it("names the commits that lack a sign-off", () => {
    const verdict = judgeSignOff([
      { sha: "aaaaaaaaaa", commit: { message: signedOff(EMAIL).message, author: { email: EMAIL } } },
      { sha: "bbbbbbbbbb", commit: { message: "WIP", author: { email: "bob@example.com" } } },
    ]);
    expect(verdict).toMatchObject({ signedOff: false, checked: 2, unsigned: [{ sha: "bbbbbbb", email: "bob@example.com" }] });
    expect(verdict.reason).toBe('1 of 2 commits lack a "Signed-off-by:" trailer with their author\'s email: bbbbbbb (bob@example.com)');
  });

  it("does not pass an empty list of commits", () => {
    expect(judgeSignOff([]).signedOff).toBe(false);
  });
});
