package github.pullrequest_test

import data.github.pullrequest

# A pull request that passes every rule; each case below changes one thing.
base := {
	"head_ref": "feature/login",
	"base_ref": "develop",
	"workflow_meta": {"approvers": ["alice"], "signed_off": true},
	"repo_policy": {"policy": {
		"version": 1,
		"branch_rules": [
			{"source": "feature/*", "target": "develop"},
			{"source": "release/*", "target": "main"},
			{"source": "hotfix/*", "target": "main"},
		],
		"rules": {
			"allowed_target_branches": ["develop", "main", "release/*"],
			"approvals_required": 1,
			"signed_off": true,
		},
	}},
}

with_patch(patch) := object.union(base, patch)

rules_patch(rules) := {"repo_policy": {"policy": {"rules": rules}}}

with_rules(rules) := with_patch(rules_patch(rules))

with_meta(meta) := with_patch({"workflow_meta": meta})

# Arrays are replaced whole by object.union, so this swaps the list of pairs.
with_branch_rules(pairs) := with_patch({"repo_policy": {"policy": {"branch_rules": pairs}}})

without(doc, path) := json.remove(doc, [path])

codes(doc) := {v.code | some v in found} if {
	found := pullrequest.violations with input as doc
}

# `code in codes(doc) != x` would parse as `code in (codes(doc) != x)`, hence a function.
reported(doc, code) := code in codes(doc)

violation(doc, code) := v if {
	found := pullrequest.violations with input as doc
	some v in found
	v.code == code
}

# --- the whole decision ---

test_a_pull_request_meeting_every_rule_is_allowed if {
	pullrequest.allow with input as base
	count(pullrequest.violations) == 0 with input as base
	count(pullrequest.deny) == 0 with input as base
}

test_deny_holds_the_message_of_every_violation if {
	doc := with_meta({"approvers": [], "signed_off": false})
	pullrequest.deny == {"1 approval required, 0 given", "The pull request is not signed off; this repository requires a sign-off"} with input as doc
	not pullrequest.allow with input as doc
}

test_every_violation_names_the_rule_it_comes_from if {
	doc := with_patch({"head_ref": "wip", "base_ref": "gh-pages", "workflow_meta": {"approvers": [], "signed_off": false}})
	found := pullrequest.violations with input as doc
	{[v.code, v.rule] | some v in found} == {
		["branch_naming.denied", "branch_rules"],
		["target_branch.denied", "allowed_target_branches"],
		["approvals.insufficient", "approvals_required"],
		["signoff.missing", "signed_off"],
	}
}

# --- policy.missing ---

test_a_missing_policy_fails_closed if {
	codes(without(base, "repo_policy")) == {"policy.missing"}
	codes(with_patch({"repo_policy": null})) == {"policy.missing"}
	codes(with_patch({"repo_policy": {"policy": null}})) == {"policy.missing"}
	codes(without(base, "repo_policy/policy")) == {"policy.missing"}
	violation(with_patch({"repo_policy": null}), "policy.missing").msg == "No pull request policy was provided (repo_policy is missing)"
	not pullrequest.allow with input as with_patch({"repo_policy": null})
}

test_a_policy_that_is_not_an_object_is_malformed if {
	codes(with_patch({"repo_policy": "strict"})) == {"schema.policy.not_object"}
	codes(with_patch({"repo_policy": {"policy": 1}})) == {"schema.policy.not_object"}
}

# Only a policy with nothing to judge; any failing rule would show up if rules were judged.
unjudged_pull_request(policy) := {
	"head_ref": "wip",
	"base_ref": "develop",
	"workflow_meta": {"approvers": [], "signed_off": false},
	"repo_policy": {"policy": policy},
}

test_a_policy_without_rules_is_missing if {
	codes(unjudged_pull_request({"version": 1})) == {"policy.missing"}
	codes(unjudged_pull_request({"version": "1.0", "rules": null})) == {"policy.missing"}
	codes(unjudged_pull_request({"version": 1, "branch_rules": [{"source": "*", "target": "*"}]})) == {"policy.missing"}
	v := violation(unjudged_pull_request({"version": "1.0"}), "policy.missing")
	v.msg == "No pull request rules were provided (policy.rules is missing); write `rules: {}` to require nothing"
	not pullrequest.allow with input as unjudged_pull_request({"version": "1.0"})
}

test_an_explicit_empty_rules_object_enforces_nothing if {
	codes(unjudged_pull_request({"version": 1, "rules": {}})) == set()
	pullrequest.allow with input as unjudged_pull_request({"version": 1, "rules": {}, "branch_rules": []})
}

# --- branch_naming.denied ---

branch_rule_cases := [
	{"head": "feature/login", "base": "develop", "allowed": true},
	{"head": "feature/a/b", "base": "develop", "allowed": false},
	{"head": "feature/login", "base": "main", "allowed": false},
	{"head": "release/1.2", "base": "main", "allowed": true},
	{"head": "hotfix/urgent", "base": "main", "allowed": true},
	{"head": "hotfix/urgent", "base": "develop", "allowed": false},
	{"head": "login", "base": "develop", "allowed": false},
	{"head": "fix/a/b", "base": "main", "allowed": true, "rules": [{"source": "{feature,fix}/**", "target": "main"}]},
	{"head": "docs/a", "base": "main", "allowed": false, "rules": [{"source": "{feature,fix}/**", "target": "main"}]},
	{"head": "hotfix/x", "base": "release/1.2", "allowed": true, "rules": [{"source": "hotfix/*", "target": "release/*"}]},
	{"head": "hotfix/x", "base": "release/1.2/rc", "allowed": false, "rules": [{"source": "hotfix/*", "target": "release/*"}]},
]

# A case may bring its own branch_rules; the others use base's.
rules_of(c) := {"repo_policy": {"policy": {"branch_rules": c.rules}}}

rules_of(c) := {} if not c.rules

test_branch_rules_require_a_matching_source_and_target_pair if {
	every c in branch_rule_cases {
		doc := object.union(with_patch({"head_ref": c.head, "base_ref": c.base}), rules_of(c))
		reported(doc, "branch_naming.denied") != c.allowed
	}
}

test_branch_rules_that_are_empty_or_absent_allow_any_pair if {
	codes(object.union(with_branch_rules([]), {"head_ref": "anything/goes"})) == set()
	codes(object.union(with_branch_rules(null), {"head_ref": "anything/goes"})) == set()
	codes(without(with_patch({"head_ref": "x"}), "repo_policy/policy/branch_rules")) == set()
}

test_branch_naming_denied_lists_the_allowed_pairs if {
	v := violation(with_patch({"head_ref": "wip"}), "branch_naming.denied")
	v.msg == "Branch wip may not be merged into develop (branch_rules allow: feature/* -> develop, release/* -> main, hotfix/* -> main)"
	v.head_ref == "wip"
	v.base_ref == "develop"
}

test_an_invalid_branch_rule_glob_matches_nothing if {
	codes(with_branch_rules([{"source": "[feature", "target": "develop"}])) == {"branch_naming.denied"}
}

# --- target_branch.denied ---

target_cases := [
	{"base": "develop", "patterns": ["develop", "release/*"], "allowed": true},
	{"base": "release/2.0", "patterns": ["develop", "release/*"], "allowed": true},
	{"base": "release/2.0/rc", "patterns": ["develop", "release/*"], "allowed": false},
	{"base": "main", "patterns": ["develop", "release/*"], "allowed": false},
	{"base": "main", "patterns": [], "allowed": false},
	{"base": "main", "patterns": null, "allowed": true},
]

test_allowed_target_branches_are_globs_with_slash_as_delimiter if {
	every c in target_cases {
		doc := object.union(with_branch_rules([]), object.union({"base_ref": c.base}, rules_patch({"allowed_target_branches": c.patterns})))
		reported(doc, "target_branch.denied") != c.allowed
	}
}

test_target_branch_denied_names_the_branch_and_patterns if {
	doc := object.union(with_branch_rules([]), {"base_ref": "gh-pages"})
	v := violation(doc, "target_branch.denied")
	v.msg == "Target branch gh-pages is not allowed (allowed_target_branches: develop, main, release/*)"
	v.patterns == ["develop", "main", "release/*"]
}

test_target_branch_denied_explains_an_empty_list if {
	v := violation(with_rules({"allowed_target_branches": []}), "target_branch.denied")
	v.msg == "No target branch is allowed: allowed_target_branches is empty"
}

test_a_target_must_match_the_organisation_minimum_as_well_as_the_repository_list if {
	allowed := object.union(with_branch_rules([]), object.union({"base_ref": "main"}, rules_patch({"allowed_target_branches_minimum": [["main"]]})))
	not reported(allowed, "target_branch.denied")
	denied := object.union(with_branch_rules([]), object.union({"base_ref": "develop"}, rules_patch({"allowed_target_branches_minimum": [["main"]]})))
	v := violation(denied, "target_branch.denied")
	v.patterns == ["main"]
}

# --- approvals.insufficient ---

approval_cases := [
	{"approvers": ["alice"], "required": 1, "ok": true},
	{"approvers": ["alice", "bob"], "required": 2, "ok": true},
	{"approvers": ["alice", "alice"], "required": 2, "ok": false},
	{"approvers": [], "required": 1, "ok": false},
	{"approvers": [], "required": 0, "ok": true},
	{"approvers": [], "required": null, "ok": true},
]

test_approvals_count_distinct_approvers if {
	every c in approval_cases {
		doc := object.union(with_meta({"approvers": c.approvers}), rules_patch({"approvals_required": c.required}))
		reported(doc, "approvals.insufficient") != c.ok
	}
}

test_approvals_insufficient_message_lists_who_approved if {
	doc := object.union(with_meta({"approvers": ["carol", "alice"]}), rules_patch({"approvals_required": 3}))
	v := violation(doc, "approvals.insufficient")
	v.msg == "3 approvals required, 2 given (alice, carol)"
	v.required == 3
	v.actual == 2
}

test_absent_approvers_fail_the_approvals_rule if {
	codes(without(base, "workflow_meta/approvers")) == {"approvals.insufficient"}
	codes(without(base, "workflow_meta")) == {"approvals.insufficient", "signoff.missing"}
}

# --- signoff.missing ---

test_signoff_must_be_exactly_true_when_required if {
	codes(with_meta({"signed_off": false})) == {"signoff.missing"}
	codes(with_meta({"signed_off": "true"})) == {"signoff.missing"}
	codes(without(base, "workflow_meta/signed_off")) == {"signoff.missing"}
	codes(object.union(with_meta({"signed_off": false}), rules_patch({"signed_off": false}))) == set()
}

# --- schema.input and schema.policy ---

input_cases := [
	{"doc": null, "code": "schema.input.not_object"},
	{"doc": ["feature/x"], "code": "schema.input.not_object"},
	{"doc": without(base, "head_ref"), "code": "schema.input.head_ref_not_string"},
	{"doc": with_patch({"head_ref": 12}), "code": "schema.input.head_ref_not_string"},
	{"doc": with_patch({"head_ref": ""}), "code": "schema.input.head_ref_empty"},
	{"doc": with_patch({"base_ref": null}), "code": "schema.input.base_ref_not_string"},
	{"doc": with_patch({"base_ref": ""}), "code": "schema.input.base_ref_empty"},
	{"doc": with_patch({"workflow_meta": []}), "code": "schema.input.workflow_meta_not_object"},
	{"doc": with_meta({"approvers": {"alice": true}}), "code": "schema.input.approvers_not_array"},
	{"doc": with_meta({"approvers": [null]}), "code": "schema.input.approver_not_string"},
]

test_malformed_input_is_reported_with_a_precise_code if {
	every c in input_cases {
		codes(c.doc) == {c.code}
		not pullrequest.allow with input as c.doc
	}
}

test_malformed_input_messages_name_the_field_and_the_type_found if {
	violation(without(base, "head_ref"), "schema.input.head_ref_not_string").msg == "Input field head_ref must be a branch name (got missing)"
	violation(with_patch({"base_ref": ""}), "schema.input.base_ref_empty").msg == "Input field base_ref must be a branch name (got an empty string)"
}

policy_cases := [
	{"patch": {"branch_rules": "feature/* -> develop"}, "code": "schema.policy.branch_rules_invalid"},
	{"patch": {"branch_rules": [{"source": "feature/*"}]}, "code": "schema.policy.branch_rules_invalid"},
	{"patch": {"branch_rules": ["feature/*"]}, "code": "schema.policy.branch_rules_invalid"},
	{"patch": {"rules": "strict"}, "code": "schema.policy.rules_not_object"},
	{"patch": {"rules": {"allowed_target_branches": "main"}}, "code": "schema.policy.allowed_target_branches_invalid"},
	{"patch": {"rules": {"approvals_required": true}}, "code": "schema.policy.approvals_required_invalid"},
	{"patch": {"rules": {"signed_off": "yes"}}, "code": "schema.policy.signed_off_invalid"},
	{"patch": {"rules": {"required_approvals": 2}}, "code": "schema.policy.unknown_rule"},
]

test_a_malformed_policy_fails_closed_with_a_precise_code if {
	every c in policy_cases {
		doc := with_patch({"repo_policy": {"policy": c.patch}})
		codes(doc) == {c.code}
	}
}

test_a_malformed_rule_message_names_the_field if {
	v := violation(with_rules({"approvals_required": true}), "schema.policy.approvals_required_invalid")
	v.msg == "Policy field policy.rules.approvals_required must be a non-negative integer (got boolean)"
	v.rule == "approvals_required"
}

test_an_undefined_input_is_denied if {
	not pullrequest.allow
	pullrequest.deny == {"The pull request input must be a JSON object"}
}
