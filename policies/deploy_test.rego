package github.deploy_test

import data.github.deploy

# A deployment that passes every rule; each case below changes one thing.
base := {
	"environment": "production",
	"ref": "refs/heads/main",
	"repo_environments": ["staging", "production"],
	"workflow_meta": {
		"approvers": ["alice", "bob"],
		"checks": {"tests": true},
		"signed_off": true,
		"deployments_today": 1,
	},
	"repo_policy": {"policy": {
		"version": 1,
		"environments": {
			"staging": {"enabled": false},
			"production": {
				"enabled": true,
				"rules": {
					"approvals_required": 2,
					"allowed_branches": ["main", "release/*"],
					"tests_passed": true,
					"signed_off": true,
					"max_deployments_per_day": 5,
				},
			},
		},
	}},
}

# object.union merges nested objects, so a patch only names what it changes.
with_patch(patch) := object.union(base, patch)

rules_patch(rules) := {"repo_policy": {"policy": {"environments": {"production": {"rules": rules}}}}}

with_rules(rules) := with_patch(rules_patch(rules))

with_meta_and_rules(meta, rules) := object.union(with_meta(meta), rules_patch(rules))

with_meta(meta) := with_patch({"workflow_meta": meta})

codes(doc) := {v.code | some v in found} if {
	found := deploy.violations with input as doc
}

codes_with_rules(rules) := codes(with_rules(rules))

codes_with_meta(meta) := codes(with_meta(meta))

# `code in codes(doc) != x` would parse as `code in (codes(doc) != x)`, hence a function.
reported(doc, code) := code in codes(doc)

messages(doc) := {v.msg | some v in found} if {
	found := deploy.violations with input as doc
}

violation(doc, code) := v if {
	found := deploy.violations with input as doc
	some v in found
	v.code == code
}

# --- the whole decision ---

test_a_deployment_meeting_every_rule_is_allowed if {
	deploy.allow with input as base
	count(deploy.violations) == 0 with input as base
	count(deploy.deny) == 0 with input as base
}

test_deny_holds_the_message_of_every_violation if {
	doc := with_meta({"approvers": ["alice"], "signed_off": false})
	deploy.deny == messages(doc) with input as doc
	count(deploy.deny) == 2 with input as doc
	not deploy.allow with input as doc
}

test_every_failing_rule_is_reported_at_once if {
	doc := with_patch({
		"ref": "refs/heads/feature/x",
		"repo_environments": ["staging"],
		"workflow_meta": {"approvers": [], "checks": {"tests": false}, "signed_off": false, "deployments_today": 9},
	})
	codes(doc) == {
		"env.missing", "ref.denied", "approvals.insufficient",
		"tests.failed", "signoff.missing", "rate_limit.exceeded",
	}
}

# --- enabled ---

test_a_disabled_environment_is_not_gated if {
	doc := object.union(with_patch({"environment": "staging", "ref": "refs/tags/x", "repo_environments": []}), {"workflow_meta": {"approvers": [], "signed_off": false}})
	deploy.allow with input as doc
	codes(doc) == set()
}

test_an_environment_without_enabled_is_gated if {
	doc := json.remove(with_meta({"approvers": []}), ["repo_policy/policy/environments/production/enabled"])
	codes(doc) == {"approvals.insufficient"}
}

test_an_environment_with_enabled_null_is_gated if {
	doc := with_patch({"repo_policy": {"policy": {"environments": {"production": {"enabled": null}}}}, "workflow_meta": {"approvers": []}})
	codes(doc) == {"approvals.insufficient"}
}

# --- schema.policy: the target environment and the policy document ---

test_an_environment_missing_from_the_policy_is_reported_as_not_defined if {
	doc := with_patch({"environment": "qa", "repo_environments": ["qa"]})
	codes(doc) == {"schema.policy.env_not_defined"}
	violation(doc, "schema.policy.env_not_defined").msg == "Environment qa is not defined in the deployment policy (defined environments: production, staging)"
	not deploy.allow with input as doc
}

test_a_policy_without_environments_defines_none if {
	doc := json.remove(base, ["repo_policy/policy/environments"])
	violation(doc, "schema.policy.env_not_defined").msg == "Environment production is not defined in the deployment policy (defined environments: none)"
}

test_a_missing_repo_policy_fails_closed if {
	codes(json.remove(base, ["repo_policy"])) == {"schema.policy.missing"}
	codes(with_patch({"repo_policy": null})) == {"schema.policy.missing"}
	codes(with_patch({"repo_policy": {"policy": null}})) == {"schema.policy.missing"}
	violation(with_patch({"repo_policy": null}), "schema.policy.missing").msg == "No deployment policy was provided (repo_policy is missing)"
}

test_a_repo_policy_that_is_not_an_object_is_malformed if {
	codes(with_patch({"repo_policy": "yes"})) == {"schema.policy.not_object"}
	codes(with_patch({"repo_policy": {"policy": ["x"]}})) == {"schema.policy.not_object"}
	violation(with_patch({"repo_policy": "yes"}), "schema.policy.not_object").msg == "Policy field repo_policy must be an object (got string)"
}

test_malformed_environment_entries_are_reported if {
	codes(with_patch({"repo_policy": {"policy": {"environments": ["production"]}}})) == {"schema.policy.environments_not_object"}
	codes(with_patch({"repo_policy": {"policy": {"environments": {"production": null}}}})) == {"schema.policy.env_not_object"}
	codes(with_patch({"repo_policy": {"policy": {"environments": {"production": {"enabled": "yes"}}}}})) == {"schema.policy.enabled_invalid"}
	violation(with_patch({"repo_policy": {"policy": {"environments": {"production": {"enabled": "yes"}}}}}), "schema.policy.enabled_invalid").msg == "Policy field policy.environments.production.enabled must be true or false (got string)"
}

test_malformed_rule_values_are_reported_per_rule if {
	codes_with_rules({"approvals_required": "2"}) == {"schema.policy.approvals_required_invalid"}
	codes_with_rules({"approvals_required": -1}) == {"schema.policy.approvals_required_invalid"}
	codes_with_rules({"approvals_required": 1.5}) == {"schema.policy.approvals_required_invalid"}
	codes_with_rules({"allowed_branches": "main"}) == {"schema.policy.allowed_branches_invalid"}
	codes_with_rules({"allowed_branches": ["main", 7]}) == {"schema.policy.allowed_branches_invalid"}
	codes_with_rules({"tests_passed": "yes"}) == {"schema.policy.tests_passed_invalid"}
	codes_with_rules({"signed_off": 1}) == {"schema.policy.signed_off_invalid"}
	codes_with_rules({"max_deployments_per_day": "5"}) == {"schema.policy.max_deployments_per_day_invalid"}
}

test_a_malformed_rule_message_names_the_field_and_the_type_found if {
	doc := with_rules({"approvals_required": "2"})
	v := violation(doc, "schema.policy.approvals_required_invalid")
	v.msg == "Policy field policy.environments.production.rules.approvals_required must be a non-negative integer (got string)"
	v.rule == "approvals_required"
}

test_an_unknown_rule_fails_closed_instead_of_being_ignored if {
	doc := with_rules({"approval_required": 3})
	codes(doc) == {"schema.policy.unknown_rule"}
	violation(doc, "schema.policy.unknown_rule").msg == "Policy field policy.environments.production.rules has an unknown rule approval_required (known rules: allowed_branches, approvals_required, deploy_windows, freeze, max_deployments_per_day, required_checks, signed_off, tests_passed)"
}

test_required_checks_is_accepted_as_a_rule_the_handler_applies if {
	codes_with_rules({"required_checks": ["test", "build"]}) == set()
	codes_with_rules({"required_checks": null}) == set()
	codes_with_rules({"required_checks": "test"}) == {"schema.policy.required_checks_invalid"}
}

test_environment_names_match_case_insensitively_like_github if {
	codes(with_patch({"environment": "Production"})) == set()
	codes(with_patch({"environment": "PRODUCTION", "repo_environments": ["Production"]})) == set()
	codes(with_patch({"environment": "Production", "workflow_meta": {"approvers": []}})) == {"approvals.insufficient"}
}

test_an_exact_environment_key_wins_over_one_differing_in_case if {
	doc := with_patch({"repo_policy": {"policy": {"environments": {"Production": {"enabled": false}}}}})
	codes(object.union(doc, {"workflow_meta": {"approvers": []}})) == {"approvals.insufficient"}
	codes(object.union(doc, {"environment": "Production", "workflow_meta": {"approvers": []}})) == set()
}

test_an_environment_matching_several_keys_by_case_only_is_not_defined if {
	doc := with_patch({
		"environment": "PRODUCTION",
		"repo_policy": {"policy": {"environments": {"Production": {"enabled": false}}}},
	})
	codes(doc) == {"schema.policy.env_not_defined"}
}

test_rules_that_are_not_an_object_are_reported if {
	doc := with_patch({"repo_policy": {"policy": {"environments": {"production": {"rules": ["x"]}}}}})
	codes(doc) == {"schema.policy.rules_not_object"}
}

test_an_environment_without_rules_only_requires_the_environment_to_exist if {
	doc := json.remove(with_meta({"approvers": []}), ["repo_policy/policy/environments/production/rules"])
	codes(doc) == set()
	codes(json.remove(doc, ["repo_environments"])) == {"env.missing"}
}

# --- env.missing ---

test_env_missing_when_the_repository_lacks_the_environment if {
	doc := with_patch({"repo_environments": ["staging"]})
	codes(doc) == {"env.missing"}
	violation(doc, "env.missing").msg == "Environment production does not exist in this repository (repository environments: staging)"
}

test_env_missing_fails_closed_when_repo_environments_are_unknown if {
	codes(json.remove(base, ["repo_environments"])) == {"env.missing"}
	codes(with_patch({"repo_environments": null})) == {"env.missing"}
	codes(with_patch({"repo_environments": []})) == {"env.missing"}
	violation(with_patch({"repo_environments": []}), "env.missing").msg == "Environment production does not exist in this repository (repository environments: none)"
}

# --- ref.denied ---

ref_cases := [
	{"ref": "refs/heads/main", "patterns": ["main", "release/*"], "allowed": true},
	{"ref": "refs/heads/release/1.2", "patterns": ["main", "release/*"], "allowed": true},
	{"ref": "refs/heads/release/1.2/hotfix", "patterns": ["main", "release/*"], "allowed": false},
	{"ref": "refs/heads/feature/a", "patterns": ["feature/*"], "allowed": true},
	{"ref": "refs/heads/feature/a/b", "patterns": ["feature/*"], "allowed": false},
	{"ref": "refs/heads/feature/a/b", "patterns": ["feature/**"], "allowed": true},
	{"ref": "refs/heads/mainline", "patterns": ["main"], "allowed": false},
	{"ref": "refs/heads/develop", "patterns": ["main", "release/*"], "allowed": false},
	{"ref": "refs/tags/v1.0", "patterns": ["*"], "allowed": false},
	{"ref": "refs/tags/v1.0", "patterns": ["**"], "allowed": false},
	{"ref": "refs/heads/", "patterns": ["*"], "allowed": false},
	{"ref": "main", "patterns": ["main"], "allowed": false},
	{"ref": "refs/heads/main", "patterns": [], "allowed": false},
	{"ref": "refs/heads/main", "patterns": ["[main"], "allowed": false},
	{"ref": "refs/heads/main", "patterns": ["[main", "main"], "allowed": true},
	{"ref": "refs/tags/v1.0", "patterns": null, "allowed": true},
	{"ref": "refs/heads/anything/at/all", "patterns": null, "allowed": true},
]

test_allowed_branches_globs_use_slash_as_the_delimiter if {
	every c in ref_cases {
		doc := object.union(with_patch({"ref": c.ref}), rules_patch({"allowed_branches": c.patterns}))
		reported(doc, "ref.denied") != c.allowed
	}
}

test_ref_denied_names_the_branch_and_the_patterns if {
	doc := with_patch({"ref": "refs/heads/feature/x"})
	v := violation(doc, "ref.denied")
	v.msg == "Branch feature/x may not deploy to production (allowed_branches: main, release/*)"
	v.branch == "feature/x"
	v.patterns == ["main", "release/*"]
	v.rule == "allowed_branches"
}

test_ref_denied_explains_a_ref_that_is_not_a_branch if {
	v := violation(with_patch({"ref": "refs/tags/v1"}), "ref.denied")
	v.msg == "Ref refs/tags/v1 is not a branch; only branches may deploy to production (allowed_branches: main, release/*)"
	v.branch == null
}

test_ref_denied_explains_an_empty_branch_list if {
	v := violation(with_rules({"allowed_branches": []}), "ref.denied")
	v.msg == "No branch may deploy to production: allowed_branches is empty"
}

test_an_absent_allowed_branches_rule_allows_any_ref if {
	doc := json.remove(with_patch({"ref": "refs/tags/v9"}), ["repo_policy/policy/environments/production/rules/allowed_branches"])
	codes(doc) == set()
}

test_a_branch_must_match_the_organisation_minimum_as_well_as_the_repository_list if {
	cases := [
		{"ref": "refs/heads/main", "denied": false},
		{"ref": "refs/heads/release/1", "denied": true},
		{"ref": "refs/heads/feature/x", "denied": true},
	]
	every c in cases {
		doc := object.union(with_patch({"ref": c.ref}), rules_patch({"allowed_branches_minimum": [["main", "hotfix/*"]]}))
		reported(doc, "ref.denied") == c.denied
	}
}

test_ref_denied_names_the_minimum_list_that_denied if {
	doc := object.union(with_patch({"ref": "refs/heads/release/1"}), rules_patch({"allowed_branches_minimum": [["release/*", "main"], ["main"]]}))
	v := violation(doc, "ref.denied")
	v.patterns == ["main"]
	v.rule == "allowed_branches"
}

test_a_malformed_minimum_branch_list_is_a_policy_problem if {
	"schema.policy.allowed_branches_minimum_invalid" in codes_with_rules({"allowed_branches_minimum": "main"})
}

# --- approvals.insufficient ---

approval_cases := [
	{"approvers": ["alice", "bob"], "required": 2, "ok": true},
	{"approvers": ["alice", "bob", "carol"], "required": 2, "ok": true},
	{"approvers": ["alice"], "required": 2, "ok": false},
	{"approvers": ["alice", "alice"], "required": 2, "ok": false},
	{"approvers": [], "required": 1, "ok": false},
	{"approvers": [], "required": 0, "ok": true},
	{"approvers": [], "required": null, "ok": true},
]

test_approvals_count_distinct_approvers if {
	every c in approval_cases {
		doc := with_meta_and_rules({"approvers": c.approvers}, {"approvals_required": c.required})
		reported(doc, "approvals.insufficient") != c.ok
	}
}

test_approvals_insufficient_message_lists_each_approver_once if {
	doc := with_meta_and_rules({"approvers": ["bob", "alice", "bob"]}, {"approvals_required": 3})
	violation(doc, "approvals.insufficient").msg == "3 approvals required, 2 given (alice, bob)"
}

test_approvals_insufficient_message_matches_the_example if {
	v := violation(with_meta({"approvers": ["alice"]}), "approvals.insufficient")
	v.msg == "2 approvals required, 1 given (alice)"
	v.required == 2
	v.actual == 1
	v.approvers == ["alice"]
}

test_approvals_insufficient_message_with_no_approvers if {
	violation(with_meta({"approvers": []}), "approvals.insufficient").msg == "2 approvals required, 0 given"
	doc := with_meta_and_rules({"approvers": []}, {"approvals_required": 1})
	violation(doc, "approvals.insufficient").msg == "1 approval required, 0 given"
}

test_absent_approvers_fail_the_approvals_rule if {
	doc := json.remove(base, ["workflow_meta/approvers"])
	codes(doc) == {"approvals.insufficient"}
	codes_with_meta({"approvers": null}) == {"approvals.insufficient"}
}

# --- tests.failed ---

test_tests_must_be_exactly_true_when_required if {
	codes_with_meta({"checks": {"tests": true}}) == set()
	codes_with_meta({"checks": {"tests": false}}) == {"tests.failed"}
	codes_with_meta({"checks": {"tests": "true"}}) == {"tests.failed"}
	codes_with_meta({"checks": {"tests": null}}) == {"tests.failed"}
	codes(json.remove(base, ["workflow_meta/checks/tests"])) == {"tests.failed"}
	codes(json.remove(base, ["workflow_meta/checks"])) == {"tests.failed"}
}

test_tests_failed_messages_tell_failure_from_absence if {
	violation(with_meta({"checks": {"tests": false}}), "tests.failed").msg == "Tests did not pass; production requires passing tests"
	violation(json.remove(base, ["workflow_meta/checks"]), "tests.failed").msg == "No passing test result was found; production requires passing tests"
}

test_tests_are_not_required_when_the_rule_is_off_or_absent if {
	codes(with_meta_and_rules({"checks": {"tests": false}}, {"tests_passed": false})) == set()
	codes(json.remove(with_meta({"checks": {"tests": false}}), ["repo_policy/policy/environments/production/rules/tests_passed"])) == set()
}

# --- signoff.missing ---

test_signoff_must_be_exactly_true_when_required if {
	codes_with_meta({"signed_off": false}) == {"signoff.missing"}
	codes_with_meta({"signed_off": "yes"}) == {"signoff.missing"}
	codes(json.remove(base, ["workflow_meta/signed_off"])) == {"signoff.missing"}
	violation(with_meta({"signed_off": false}), "signoff.missing").msg == "The deployment is not signed off; production requires a sign-off"
}

test_signoff_is_not_required_when_the_rule_is_off if {
	codes(with_meta_and_rules({"signed_off": false}, {"signed_off": false})) == set()
}

# --- rate_limit.exceeded ---

rate_cases := [
	{"today": 1, "ok": true},
	{"today": 4, "ok": true},
	{"today": 5, "ok": true},
	{"today": 6, "ok": false},
	{"today": 50, "ok": false},
	{"today": "5", "ok": false},
	{"today": null, "ok": false},
]

test_the_fifth_deployment_passes_and_the_sixth_fails_with_a_limit_of_five if {
	every c in rate_cases {
		reported(with_meta({"deployments_today": c.today}), "rate_limit.exceeded") != c.ok
	}
}

test_a_missing_deployment_count_fails_closed if {
	doc := json.remove(base, ["workflow_meta/deployments_today"])
	v := violation(doc, "rate_limit.exceeded")
	v.msg == "The number of deployments to production today is unknown; the limit is 5 per day"
	v.actual == null
}

test_rate_limit_message_gives_the_count_and_the_limit if {
	v := violation(with_meta({"deployments_today": 6}), "rate_limit.exceeded")
	v.msg == "This would be deployment 6 to production today; the limit is 5 per day"
	v.limit == 5
	v.actual == 6
}

# As in gitpoli: 0 is "no limit", so the count is not even needed.
test_a_limit_of_zero_means_no_daily_limit if {
	codes(with_meta_and_rules({"deployments_today": 500}, {"max_deployments_per_day": 0})) == set()
	codes(json.remove(with_rules({"max_deployments_per_day": 0}), ["workflow_meta/deployments_today"])) == set()
	codes(with_meta_and_rules({"deployments_today": 2}, {"max_deployments_per_day": 1})) == {"rate_limit.exceeded"}
}

test_no_limit_means_any_count_passes if {
	doc := json.remove(with_meta({"deployments_today": 500}), ["repo_policy/policy/environments/production/rules/max_deployments_per_day"])
	codes(doc) == set()
}

# --- schema.input ---

input_cases := [
	{"doc": null, "code": "schema.input.not_object"},
	{"doc": [], "code": "schema.input.not_object"},
	{"doc": "production", "code": "schema.input.not_object"},
	{"doc": with_patch({"environment": 3}), "code": "schema.input.environment_not_string"},
	{"doc": json.remove(base, ["environment"]), "code": "schema.input.environment_not_string"},
	{"doc": with_patch({"environment": ""}), "code": "schema.input.environment_empty"},
	{"doc": with_patch({"ref": null}), "code": "schema.input.ref_not_string"},
	{"doc": json.remove(base, ["ref"]), "code": "schema.input.ref_not_string"},
	{"doc": with_patch({"repo_environments": "production"}), "code": "schema.input.repo_environments_not_array"},
	{"doc": with_patch({"repo_environments": {"production": 1}}), "code": "schema.input.repo_environments_not_array"},
	{"doc": with_patch({"repo_environments": ["production", 1]}), "code": "schema.input.repo_environment_not_string"},
	{"doc": with_patch({"workflow_meta": "approved"}), "code": "schema.input.workflow_meta_not_object"},
	{"doc": with_meta({"approvers": "alice"}), "code": "schema.input.approvers_not_array"},
	{"doc": with_meta({"approvers": ["alice", {"login": "bob"}]}), "code": "schema.input.approver_not_string"},
	{"doc": with_meta({"checks": ["tests"]}), "code": "schema.input.checks_not_object"},
]

test_malformed_input_is_reported_with_a_precise_code if {
	every c in input_cases {
		codes(c.doc) == {c.code}
		not deploy.allow with input as c.doc
	}
}

test_malformed_input_messages_name_the_field_and_the_type_found if {
	violation(with_patch({"environment": 3}), "schema.input.environment_not_string").msg == "Input field environment must be a string (got number)"
	violation(json.remove(base, ["ref"]), "schema.input.ref_not_string").msg == "Input field ref must be a string such as refs/heads/main (got missing)"
	violation(with_meta({"approvers": ["alice", 2]}), "schema.input.approver_not_string").msg == "Input field workflow_meta.approvers[1] must be a login string (got number)"
}

test_malformed_input_hides_rule_verdicts_built_on_it if {
	doc := with_patch({"ref": 7, "workflow_meta": {"approvers": [], "signed_off": false}})
	codes(doc) == {"schema.input.ref_not_string"}
}

test_a_missing_workflow_meta_fails_every_rule_that_needs_a_fact if {
	codes(json.remove(base, ["workflow_meta"])) == {"approvals.insufficient", "tests.failed", "signoff.missing", "rate_limit.exceeded"}
	codes(with_patch({"workflow_meta": null})) == {"approvals.insufficient", "tests.failed", "signoff.missing", "rate_limit.exceeded"}
}

test_an_undefined_input_is_denied if {
	not deploy.allow
	deploy.deny == {"The deployment input must be a JSON object"}
}
