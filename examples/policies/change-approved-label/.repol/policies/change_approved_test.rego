package repol.deploy.change_approved_test

import data.repol.deploy.change_approved

pr(number, labels) := {"number": number, "labels": labels}

test_production_with_the_label_is_allowed if {
	count(change_approved.deny) == 0 with input as {"environment": "production", "pull_requests": [pr(7, ["change-approved"])]}
}

test_production_without_the_label_names_the_pull_request if {
	change_approved.deny == {{
		"msg": "pull request #7 needs the change-approved label before it reaches production",
		"code": "change_approved.missing",
	}} with input as {"environment": "production", "pull_requests": [pr(7, ["ready"])]}
}

test_every_pull_request_needs_the_label if {
	count(change_approved.deny) == 1 with input as {"environment": "production", "pull_requests": [pr(7, ["change-approved"]), pr(8, [])]}
}

test_environment_name_is_compared_case_insensitively if {
	count(change_approved.deny) == 1 with input as {"environment": "Production", "pull_requests": [pr(7, [])]}
}

test_a_commit_without_pull_request_is_denied if {
	count(change_approved.deny) == 1 with input as {"environment": "production", "pull_requests": []}
}

test_unknown_pull_request_details_are_denied if {
	count(change_approved.deny) == 1 with input as {"environment": "production", "pull_requests": [null]}
}

test_other_environments_need_no_label if {
	count(change_approved.deny) == 0 with input as {"environment": "staging", "pull_requests": [pr(7, [])]}
}
