// GitHub treats environment names without regard to case: a workflow may deploy to `Production` while
// the repository calls it `production`. Matching, counting and grouping environments all fold case the
// same way, the way the deploy policy's lower() does, so no spelling escapes a rule.

/** The form two names of one environment share. */
export function environmentKey(name: string): string {
  return name.toLowerCase();
}

/**
 * The entry for `name` in a map keyed by environment name, as policies/deploy.rego picks it: the exact
 * key, else the one key equal to it without case. Several such keys pick none (the config loader
 * refuses them anyway).
 */
export function entryForEnvironment<T>(entries: Record<string, T>, name: string): T | undefined {
  const key = keyForEnvironment(entries, name);
  return key === undefined ? undefined : entries[key];
}

/** The key entryForEnvironment picks, for callers that replace the entry. */
export function keyForEnvironment(entries: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(entries, name)) return name;
  const matches = Object.keys(entries).filter((key) => environmentKey(key) === environmentKey(name));
  return matches.length === 1 ? matches[0] : undefined;
}
