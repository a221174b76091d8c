// Pull requests of the GraphQL fake, answered from the REST pull request and its paged lists.
type Obj = Record<string, unknown>;
type Args = Record<string, any>;

/** `list` reads every item of a paged REST list below the repository (`/pulls/7/files`). */
export function pullRequestNode(data: any, { owner, name }: { owner: string; name: string }, list: (path: string) => unknown[]): Obj {
  return {
    __typename: "PullRequest",
    id: `PR:${owner}:${name}:${data.number}`,
    number: data.number,
    state: data.merged_at ? "MERGED" : String(data.state).toUpperCase(),
    merged: Boolean(data.merged_at),
    author: actor(data.user),
    baseRepository: data.base?.repo?.full_name ? { nameWithOwner: data.base.repo.full_name } : null,
    title: data.title ?? "",
    body: data.body ?? "",
    isDraft: data.draft === true,
    baseRefName: data.base?.ref,
    headRefName: data.head?.ref,
    headRefOid: data.head?.sha,
    additions: data.additions ?? 0,
    deletions: data.deletions ?? 0,
    changedFiles: data.changed_files ?? 0,
    labels: (args: Args) =>
      connection(
        (data.labels ?? []).map((label: any) => ({ name: label.name })),
        args,
      ),
    files: (args: Args) => connection(list(`/pulls/${data.number}/files`).map(changedFile), args),
    reviews: (args: Args) => connection(list(`/pulls/${data.number}/reviews`).map(review), args),
    commits: (args: Args) => ({ ...connection(list(`/pulls/${data.number}/commits`).map(pullCommit), args), totalCount: data.commits }),
  };
}

export function connection(items: readonly unknown[], { first = 100, after }: Args) {
  const start = after ? Number(after) + 1 : 0;
  const nodes = items.slice(start, start + first);
  const end = start + nodes.length - 1;
  return { totalCount: items.length, nodes, pageInfo: { hasNextPage: end < items.length - 1, endCursor: nodes.length ? String(end) : null } };
}

function review(data: any): Obj {
  return { fullDatabaseId: String(data.id), state: data.state, submittedAt: data.submitted_at ?? null, author: actor(data.user) };
}

// REST's file status, as GraphQL's PatchStatus names it.
const CHANGE_TYPES: Record<string, string> = { added: "ADDED", removed: "DELETED", modified: "MODIFIED", renamed: "RENAMED", copied: "COPIED" };

function changedFile(data: any): Obj {
  return { path: data.filename, changeType: CHANGE_TYPES[data.status] ?? "CHANGED", additions: data.additions ?? 0, deletions: data.deletions ?? 0 };
}

function pullCommit(data: any): Obj {
  return { commit: { oid: data.sha, message: data.commit.message, author: data.commit.author ? { email: data.commit.author.email } : null } };
}

export function actor(user: { login: string; type?: string } | null | undefined): Obj | null {
  return user ? { __typename: user.type === "Bot" || user.login.endsWith("[bot]") ? "Bot" : "User", login: user.login } : null;
}
