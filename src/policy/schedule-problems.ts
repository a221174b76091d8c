// What the schema cannot say about deploy_windows and freeze: that each ends after it starts. A
// window crossing midnight is refused rather than guessed at: which day would "fri 22:00 to 02:00"
// belong to on the Sunday night of a weekday list? Two windows say it without doubt.
import type { ConfigError } from "./decision.js";
import type { DeployConfig } from "./load-repo-config.js";
import { escapePointerSegment, type YamlLocator } from "./locate-yaml-node.js";

export function scheduleProblems(config: DeployConfig, locate: YamlLocator, file: string): ConfigError[] {
  const errors: ConfigError[] = [];
  for (const [name, environment] of Object.entries(config.policy.environments)) {
    const rules = `/policy/environments/${escapePointerSegment(name)}/rules`;
    const problem = (path: string, message: string) => errors.push({ file, ...locate.valueAt(`${path}/to`), path: `${path}/to`, message });
    (environment.rules.deploy_windows ?? []).forEach((window, i) => {
      if (window.from < window.to) return;
      const split =
        window.from > window.to ? `; a window cannot cross midnight: write two, ${window.from} to 24:00 and 00:00 to ${window.to} on the following days` : "";
      problem(`${rules}/deploy_windows/${i}`, `\`deploy_windows[${i}]\` closes at ${window.to}, which is not after it opens at ${window.from}${split}`);
    });
    (environment.rules.freeze ?? []).forEach((freeze, i) => {
      if (Date.parse(freeze.from) < Date.parse(freeze.to)) return;
      problem(`${rules}/freeze/${i}`, `\`freeze[${i}]\` ends at ${freeze.to}, which is not after it starts at ${freeze.from}`);
    });
  }
  return errors;
}
