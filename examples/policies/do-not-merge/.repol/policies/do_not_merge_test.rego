package repol.pullrequest.do_not_merge_test

import data.repol.pullrequest.do_not_merge

test_the_label_is_a_violation if {
	some finding in do_not_merge.violation with input as {"pull_request": {"labels": ["bug", "do-not-merge"]}}
	finding.code == "labels.do_not_merge"
}

test_the_label_is_matched_case_insensitively if {
	count(do_not_merge.violation) == 1 with input as {"pull_request": {"labels": ["Do-Not-Merge"]}}
}

test_other_labels_pass if {
	count(do_not_merge.violation) == 0 with input as {"pull_request": {"labels": ["do-not-merge-yet", "bug"]}}
}

test_unknown_labels_are_a_violation if {
	some finding in do_not_merge.violation with input as {"pull_request": null}
	finding.code == "labels.unknown"
}
