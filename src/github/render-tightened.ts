// The note a check run or a deployment comment carries when organisation minimums raised the
// repository's rules, so a team sees why its own file is not the whole story.
import type { Tightening } from "../org/tighten-rules.js";
import { escapeMarkdown } from "./render-violations.js";

/** Markdown lines, or "" when no minimum changed anything. */
export function renderTightened(tightened: readonly Tightening[]): string {
  if (tightened.length === 0) return "";
  const lines = tightened.map((t) => `- \`${escapeMarkdown(t.rule)}\`: ${shown(t.from)} → ${shown(t.to)} (${escapeMarkdown(t.because)})`);
  return ["🏢 Organisation minimums raised this repository's rules:", ...lines].join("\n");
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return "not set";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map((item) => `\`${escapeMarkdown(String(item))}\``).join(", ");
  if (typeof value === "object") {
    const { repository, organisation } = value as { repository?: unknown; organisation?: unknown };
    return `${shown(repository)} and also ${shown(organisation)}`;
  }
  return `\`${escapeMarkdown(String(value))}\``;
}
