package repol.pullrequest.infra_approvals_test

import data.repol.pullrequest.infra_approvals

pull_request(paths, truncated) := {
	"changed_files": [{"path": path, "status": "modified", "additions": 1, "deletions": 0} | some path in paths],
	"changed_files_truncated": truncated,
}

test_infra_change_with_one_approval_is_denied_on_the_file if {
	infra_approvals.deny == {{
		"msg": "infra/main.tf is under infra/, which needs two approvals; 1 so far",
		"code": "infra.approvals_insufficient",
		"_loc": {"file": "infra/main.tf", "line": 1},
	}} with input as {"pull_request": pull_request(["infra/main.tf", "README.md"], false), "workflow_meta": {"approvers": ["alice"]}}
}

test_infra_change_with_two_approvals_is_allowed if {
	count(infra_approvals.deny) == 0 with input as {"pull_request": pull_request(["infra/main.tf"], false), "workflow_meta": {"approvers": ["alice", "bob"]}}
}

test_changes_outside_infra_need_no_approval if {
	count(infra_approvals.deny) == 0 with input as {"pull_request": pull_request(["src/app.ts", "docs/infra/notes.md"], false), "workflow_meta": {"approvers": []}}
}

test_a_truncated_file_list_is_denied if {
	some finding in infra_approvals.deny with input as {"pull_request": pull_request(["src/app.ts"], true), "workflow_meta": {"approvers": ["alice"]}}
	finding.code == "infra.files_unknown"
}

test_a_truncated_file_list_with_two_approvals_is_allowed if {
	count(infra_approvals.deny) == 0 with input as {"pull_request": pull_request(["src/app.ts"], true), "workflow_meta": {"approvers": ["alice", "bob"]}}
}

test_unknown_approvers_count_as_none if {
	some finding in infra_approvals.deny with input as {"pull_request": pull_request(["infra/main.tf"], false)}
	finding.msg == "infra/main.tf is under infra/, which needs two approvals; 0 so far"
}

test_unknown_files_and_approvals_are_denied if {
	count(infra_approvals.deny) == 1 with input as {"pull_request": null}
}
