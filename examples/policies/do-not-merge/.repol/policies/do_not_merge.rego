# No pull request labelled do-not-merge may pass its check.
package repol.pullrequest.do_not_merge

# GitHub treats label names case-insensitively, so "Do-Not-Merge" is the same label.
violation contains {"msg": "the pull request is labelled do-not-merge; remove the label when it is ready", "code": "labels.do_not_merge"} if {
	some label in input.pull_request.labels
	lower(label) == "do-not-merge"
}

violation contains {"msg": "the pull request's labels are unknown, so repol cannot tell whether it is labelled do-not-merge", "code": "labels.unknown"} if {
	not labels_known
}

# A rule to negate: `not is_array(x)` is never true when x is undefined, since the call itself is undefined.
labels_known if is_array(input.pull_request.labels)
