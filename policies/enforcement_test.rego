# Per-rule enforcement in both policies: a rule set to warn reports its failure apart and does not
# block; input, environment and config problems block whatever the enforcement says.
package github.enforcement_test

import data.github.deploy
import data.github.deploy_test
import data.github.pullrequest
import data.github.pullrequest_test

deploy_enforcing(enforcement, patch) := object.union(
	deploy_test.with_patch(patch),
	{"repo_policy": {"policy": {"environments": {"production": {"enforcement": enforcement}}}}},
)

pullrequest_enforcing(enforcement, patch) := object.union(
	pullrequest_test.with_patch(patch),
	{"repo_policy": {"policy": {"enforcement": enforcement}}},
)

codes(found) := {v.code | some v in found}

# Each deploy rule, the change that fails it, and the code it fails with.
deploy_rule_cases := [
	{"rule": "allowed_branches", "patch": {"ref": "refs/heads/wip"}, "code": "ref.denied"},
	{"rule": "approvals_required", "patch": {"workflow_meta": {"approvers": ["alice"]}}, "code": "approvals.insufficient"},
	{"rule": "tests_passed", "patch": {"workflow_meta": {"checks": {"tests": false}}}, "code": "tests.failed"},
	{"rule": "signed_off", "patch": {"workflow_meta": {"signed_off": false}}, "code": "signoff.missing"},
	{"rule": "max_deployments_per_day", "patch": {"workflow_meta": {"deployments_today": 6}}, "code": "rate_limit.exceeded"},
]

pullrequest_rule_cases := [
	{"rule": "branch_rules", "patch": {"head_ref": "wip"}, "code": "branch_naming.denied"},
	{"rule": "allowed_target_branches", "patch": {"base_ref": "gh-pages", "repo_policy": {"policy": {"branch_rules": []}}}, "code": "target_branch.denied"},
	{"rule": "approvals_required", "patch": {"workflow_meta": {"approvers": []}}, "code": "approvals.insufficient"},
	{"rule": "signed_off", "patch": {"workflow_meta": {"signed_off": false}}, "code": "signoff.missing"},
]

test_each_deploy_rule_set_to_warn_allows_and_reports_a_warning if {
	every case in deploy_rule_cases {
		doc := deploy_enforcing({case.rule: "warn"}, case.patch)
		r := deploy.result with input as doc
		r.allow == true
		r.violations == set()
		r.deny == set()
		codes(r.warnings) == {case.code}
		every w in r.warnings {
			w.rule == case.rule
		}
	}
}

test_each_deploy_rule_set_to_block_denies_as_by_default if {
	every case in deploy_rule_cases {
		blocked := deploy.result with input as deploy_enforcing({case.rule: "block"}, case.patch)
		default_result := deploy.result with input as deploy_test.with_patch(case.patch)
		blocked == default_result
		blocked.allow == false
		codes(blocked.violations) == {case.code}
		blocked.warnings == set()
	}
}

test_each_pull_request_rule_set_to_warn_allows_and_reports_a_warning if {
	every case in pullrequest_rule_cases {
		r := pullrequest.result with input as pullrequest_enforcing({case.rule: "warn"}, case.patch)
		r.allow == true
		r.violations == set()
		codes(r.warnings) == {case.code}
		every w in r.warnings {
			w.rule == case.rule
		}
	}
}

test_each_pull_request_rule_set_to_block_denies_as_by_default if {
	every case in pullrequest_rule_cases {
		blocked := pullrequest.result with input as pullrequest_enforcing({case.rule: "block"}, case.patch)
		blocked == pullrequest.result with input as pullrequest_test.with_patch(case.patch)
		codes(blocked.violations) == {case.code}
		blocked.warnings == set()
	}
}

test_a_warned_rule_and_a_blocking_rule_fail_apart if {
	doc := deploy_enforcing({"approvals_required": "warn"}, {"workflow_meta": {"approvers": [], "signed_off": false}})
	r := deploy.result with input as doc
	r.allow == false
	codes(r.violations) == {"signoff.missing"}
	codes(r.warnings) == {"approvals.insufficient"}
	r.deny == {v.msg | some v in r.violations}
}

test_mixed_pull_request_enforcement_blocks_on_the_blocking_rule_only if {
	doc := pullrequest_enforcing({"signed_off": "warn", "approvals_required": "block"}, {"workflow_meta": {"approvers": [], "signed_off": false}})
	r := pullrequest.result with input as doc
	r.allow == false
	codes(r.violations) == {"approvals.insufficient"}
	codes(r.warnings) == {"signoff.missing"}
}

every_deploy_rule_warns := {case.rule: "warn" | some case in deploy_rule_cases}

test_a_missing_environment_blocks_even_when_every_rule_warns if {
	r := deploy.result with input as deploy_enforcing(every_deploy_rule_warns, {"repo_environments": ["staging"]})
	r.allow == false
	codes(r.violations) == {"env.missing"}
	r.warnings == set()
}

test_a_missing_pull_request_policy_blocks_whatever_the_enforcement if {
	doc := json.patch(pullrequest_enforcing({"approvals_required": "warn"}, {}), [{"op": "remove", "path": "/repo_policy/policy/rules"}])
	r := pullrequest.result with input as doc
	r.allow == false
	codes(r.violations) == {"policy.missing"}
	r.warnings == set()
}

test_malformed_input_blocks_even_when_every_rule_warns if {
	r := deploy.result with input as deploy_enforcing(every_deploy_rule_warns, {"ref": 7})
	r.allow == false
	codes(r.violations) == {"schema.input.ref_not_string"}
	r.warnings == set()
}

test_an_unknown_rule_in_enforcement_is_a_blocking_config_problem if {
	r := deploy.result with input as deploy_enforcing({"required_checks": "warn", "approvals_required": "warn"}, {"workflow_meta": {"approvers": []}})
	r.allow == false
	codes(r.violations) == {"schema.policy.enforcement_unknown_rule"}
	some v in r.violations
	v.field == "policy.environments.production.enforcement.required_checks"
	r.warnings == set()
}

test_an_enforcement_other_than_warn_or_block_is_a_config_problem if {
	r := pullrequest.result with input as pullrequest_enforcing({"signed_off": "off"}, {})
	r.allow == false
	some v in r.violations
	v.code == "schema.policy.enforcement_invalid"
	v.field == "policy.enforcement.signed_off"
	contains(v.msg, "must be warn or block")
}

test_enforcement_that_is_not_an_object_is_a_config_problem if {
	r := deploy.result with input as deploy_enforcing("warn", {})
	codes(r.violations) == {"schema.policy.enforcement_not_object"}
}

test_the_window_rules_may_be_named_before_they_are_judged if {
	r := deploy.result with input as deploy_enforcing({"deploy_windows": "warn", "freeze": "block"}, {})
	r.allow == true
}

test_a_disabled_environment_neither_blocks_nor_warns if {
	doc := object.union(deploy_enforcing({"approvals_required": "warn"}, {"workflow_meta": {"approvers": []}}), {"repo_policy": {"policy": {"environments": {"production": {"enabled": false}}}}})
	r := deploy.result with input as doc
	r == {"allow": true, "deny": set(), "violations": set(), "warnings": set()}
}
