# Changes under infra/ need two approvals, one finding per infra/ file so each is annotated.
package repol.pullrequest.infra_approvals

deny contains msg if {
	some file in input.pull_request.changed_files
	startswith(file.path, "infra/")
	not approved_twice
	msg := {
		"msg": concat("", [file.path, " is under infra/, which needs two approvals; ", format_int(approvals, 10), " so far"]),
		"code": "infra.approvals_insufficient",
		"_loc": {"file": file.path, "line": 1},
	}
}

# GitHub lists 3,000 files at most, and repol reads only the first 100 when no custom rule exists:
# a list that may be incomplete cannot prove that infra/ is untouched.
deny contains {"msg": "the list of changed files is incomplete, so repol cannot tell whether infra/ changed", "code": "infra.files_unknown"} if {
	input.pull_request.changed_files_truncated
	not approved_twice
}

# No list at all (no .repol/pullrequest.yaml, or a recording without it) proves nothing either.
deny contains {"msg": "the changed files are unknown, so repol cannot tell whether infra/ changed", "code": "infra.files_unknown"} if {
	not files_known
	not approved_twice
}

# A rule to negate: `not is_array(x)` is never true when x is undefined, since the call itself is undefined.
files_known if is_array(input.pull_request.changed_files)

# Approvers repol could not read count as none.
default approvals := 0

approvals := count(input.workflow_meta.approvers)

approved_twice if approvals >= 2
