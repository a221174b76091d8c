package repol.pullrequest.large_pull_request_test

import data.repol.pullrequest.large_pull_request

test_over_500_changed_lines_warns if {
	large_pull_request.warn == {{
		"msg": "this pull request changes 501 lines (more than 500); smaller ones are reviewed better",
		"code": "size.large",
	}} with input as {"pull_request": {"additions": 400, "deletions": 101}}
}

test_exactly_500_changed_lines_is_quiet if {
	count(large_pull_request.warn) == 0 with input as {"pull_request": {"additions": 250, "deletions": 250}}
}

test_an_unknown_size_warns if {
	some finding in large_pull_request.warn with input as {"pull_request": null}
	finding.code == "size.unknown"
}
