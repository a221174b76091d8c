# Branch names and the glob patterns that select them.
package lib.branches

# "/" is the delimiter so `feature/*` matches `feature/a` but never `feature/a/b`.
# An invalid pattern makes glob.match undefined, which counts as "no match": config mistakes deny.
matches_any(patterns, name) if {
	some pattern in patterns
	glob.match(pattern, ["/"], name)
}

# The branch a "refs/heads/<branch>" ref points to; undefined for tags and other refs.
branch_of(ref) := name if {
	startswith(ref, "refs/heads/")
	name := trim_prefix(ref, "refs/heads/")
	name != ""
}
