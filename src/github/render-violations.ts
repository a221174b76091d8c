// The one place violations become Markdown: the deployment callback comment and check runs both use it.
import type { Violation } from "../domain/verdict.js";

/**
 * One bullet per violation: `- **code**: message`, plus the violation's `detail` (facts that explain
 * it, e.g. which checks failed) when present. Messages carry user-controlled text (branch names,
 * logins, config values), so they are escaped and kept on one line. Warnings use the same bullets,
 * marked ⚠️ so they never read as blocking problems.
 */
export function renderViolations(violations: readonly Violation[], { warning = false } = {}): string {
  const marker = warning ? "⚠️ " : "";
  return violations
    .map((violation) => {
      const detail = typeof violation.detail === "string" && violation.detail !== "" ? ` (${escapeMarkdown(violation.detail)})` : "";
      return `- ${marker}**${escapeMarkdown(violation.code)}**: ${escapeMarkdown(violation.msg)}${detail}${sourceOf(violation)}`;
    })
    .join("\n");
}

/** Where a custom rule's finding came from, unless its default code already says it: ` (package, organisation o/.github)`. */
function sourceOf(violation: Violation): string {
  if (typeof violation.package !== "string") return "";
  const named = violation.code === `custom.${violation.package}` ? [] : [violation.package];
  if (typeof violation.organisation === "string") named.push(`organisation ${violation.organisation}`);
  return named.length > 0 ? ` (${escapeMarkdown(named.join(", "))})` : "";
}

/** "1 warning" / "3 warnings" (also for problems), as the comment and the check title count them. */
export function countOf(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * Neutralises the Markdown that text from a repository could use against readers: links and images,
 * raw HTML, table pipes, line breaks, and @mentions (which would notify people). Code spans and
 * emphasis are left alone: the worst they do is style, and messages use backticks on purpose.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/[\r\n]+/g, " ")
      .replace(/[\\[\]<>|]/g, (char) => `\\${char}`)
      // A mention is an @ not preceded by a word character, so e-mail addresses stay intact.
      .replace(/(^|[^\w.+-])@(?=[A-Za-z0-9])/g, "$1@\u200b")
  );
}
