# Inputs as a repository coming from gitpoli produces them: string versions, a metadata block, every
# rule spelled out. See docs/coming-from-gitpoli.md for what differs and why.
package github.gitpoli_compat_test

import data.github.deploy
import data.github.pullrequest

metadata := {"description": "Protection rules", "last_updated": "2026-01-31", "owners": ["platform"], "review": {"every": 90}}

deploy_input := {
	"environment": "staging",
	"ref": "refs/heads/develop",
	"repo_environments": ["production", "staging", "development"],
	"workflow_meta": {"approvers": ["alice"], "checks": {"tests": true}, "signed_off": false, "deployments_today": 3},
	"repo_policy": {"policy": {
		"version": "1.0.0",
		"metadata": metadata,
		"environments": {
			"production": {"enabled": true, "rules": {
				"approvals_required": 2, "allowed_branches": ["main"], "tests_passed": true,
				"signed_off": true, "max_deployments_per_day": 5,
			}},
			"staging": {"enabled": true, "rules": {
				"approvals_required": 1, "allowed_branches": ["main", "develop"], "tests_passed": true,
				"signed_off": false, "max_deployments_per_day": 20,
			}},
			"development": {"enabled": true, "rules": {
				"approvals_required": 0, "allowed_branches": null, "tests_passed": false,
				"signed_off": false, "max_deployments_per_day": 0,
			}},
		},
	}},
}

pull_request_input := {
	"head_ref": "bugfix/typo",
	"base_ref": "develop",
	"workflow_meta": {"approvers": ["alice"], "signed_off": false},
	"repo_policy": {"policy": {
		"version": "1.0",
		"metadata": metadata,
		"branch_rules": [
			{"source": "feature/*", "target": "develop"},
			{"source": "bugfix/*", "target": "develop"},
			{"source": "hotfix/*", "target": "release/*"},
			{"source": "develop", "target": "main"},
		],
		"rules": {"allowed_target_branches": ["main", "develop"], "approvals_required": 1, "signed_off": false},
	}},
}

deploy_codes(doc) := {v.code | some v in found} if {
	found := deploy.violations with input as doc
}

pull_request_codes(doc) := {v.code | some v in found} if {
	found := pullrequest.violations with input as doc
}

with_version(doc, version) := object.union(doc, {"repo_policy": {"policy": {"version": version}}})

test_gitpoli_shaped_inputs_are_judged_like_repol_ones if {
	deploy.allow with input as deploy_input
	pullrequest.allow with input as pull_request_input
	no_approvals := object.union(deploy_input, {"workflow_meta": {"approvers": []}})
	deploy_codes(no_approvals) == {"approvals.insufficient"}
	deploy_codes(with_version(no_approvals, 1)) == {"approvals.insufficient"}
	wrong_pair := object.union(pull_request_input, {"base_ref": "main"})
	pull_request_codes(wrong_pair) == {"branch_naming.denied"}
	pull_request_codes(with_version(wrong_pair, 1)) == {"branch_naming.denied"}
}

test_metadata_is_ignored_by_the_rules if {
	no_approvals := object.union(deploy_input, {"workflow_meta": {"approvers": []}})
	with_metadata := deploy.violations with input as no_approvals
	without_metadata := deploy.violations with input as json.remove(no_approvals, ["repo_policy/policy/metadata"])
	with_metadata == without_metadata
	count(with_metadata) == 1
	deploy_codes(object.union(deploy_input, {"repo_policy": {"policy": {"metadata": {"environments": {}}}}})) == set()
	pull_request_codes(object.union(pull_request_input, {"repo_policy": {"policy": {"metadata": {"rules": {"approvals_required": 9}}}}})) == set()
}

test_another_major_version_is_refused_before_any_rule if {
	deploy_codes(with_version(deploy_input, "2.0.0")) == {"schema.policy.version_unsupported"}
	deploy_codes(with_version(deploy_input, 2)) == {"schema.policy.version_unsupported"}
	pull_request_codes(with_version(pull_request_input, "2.0")) == {"schema.policy.version_unsupported"}
	not pullrequest.allow with input as with_version(pull_request_input, "0.9")
}

test_a_zero_daily_limit_lets_any_number_of_deployments_through if {
	development := object.union(deploy_input, {"environment": "development", "ref": "refs/heads/spike/x"})
	deploy_codes(object.union(development, {"workflow_meta": {"deployments_today": 10000}})) == set()
}

# --- the named violation sets gitpoli's pull request tests read ---

named_sets := {
	"policy.missing": "policy_missing_violations",
	"branch_naming.denied": "branch_naming_violations",
	"target_branch.denied": "target_branch_violations",
	"approvals.insufficient": "approval_violations",
	"signoff.missing": "signoff_violations",
}

test_each_named_set_holds_exactly_the_violations_of_its_code if {
	failing := object.union(pull_request_input, {
		"head_ref": "wip", "base_ref": "gh-pages",
		"workflow_meta": {"approvers": []},
		"repo_policy": {"policy": {"rules": {"signed_off": true}}},
	})
	found := pullrequest.violations with input as failing
	count(found) == 4
	every code, name in named_sets {
		named := pullrequest[name] with input as failing
		named == {v | some v in found; v.code == code}
	}
	count(pullrequest.policy_missing_violations) == 0 with input as failing
}

test_a_missing_policy_fills_only_policy_missing_violations if {
	missing := json.remove(pull_request_input, ["repo_policy/policy/rules"])
	count(pullrequest.policy_missing_violations) == 1 with input as missing
	every _, name in object.remove(named_sets, ["policy.missing"]) {
		count(pullrequest[name]) == 0 with input as missing
	}
}
