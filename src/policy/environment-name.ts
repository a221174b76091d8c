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
  if (Object.hasOwn(entries, name)) return entries[name];
  const matches = Object.keys(entries).filter((key) => environmentKey(key) === environmentKey(name));
  return matches.length === 1 ? entries[matches[0]!] : undefined;
}
