# A warning, never a block, for pull requests changing more than 500 lines.
package repol.pullrequest.large_pull_request

max_lines := 500

warn contains msg if {
	changed := input.pull_request.additions + input.pull_request.deletions
	changed > max_lines
	msg := {
		"msg": concat("", ["this pull request changes ", format_int(changed, 10), " lines (more than ", format_int(max_lines, 10), "); smaller ones are reviewed better"]),
		"code": "size.large",
	}
}

# An unknown size is said, not taken as small.
warn contains {"msg": "the pull request's size is unknown", "code": "size.unknown"} if {
	not size_known
}

# A rule to negate: `not is_number(x)` is never true when x is undefined, since the call itself is undefined.
size_known if is_number(input.pull_request.additions + input.pull_request.deletions)
