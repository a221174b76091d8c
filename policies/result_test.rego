# repol evaluates only each policy's `result`; users and gitpoli-style tests query allow, deny and
# violations. The two must never disagree, whatever stage of checking decides the input.
package github.result_test

import data.github.deploy
import data.github.deploy_test
import data.github.pullrequest
import data.github.pullrequest_test

deploy_cases := [
	deploy_test.base,
	deploy_test.with_meta({"approvers": ["alice"], "signed_off": false}),
	deploy_test.with_patch({
		"ref": "refs/tags/v1",
		"repo_environments": [],
		"workflow_meta": {"approvers": [], "checks": {"tests": false}, "signed_off": false, "deployments_today": 9},
	}),
	deploy_test.with_patch({"environment": "staging", "ref": "refs/tags/x"}),
	deploy_test.with_patch({"repo_policy": null}),
	deploy_test.with_patch({"environment": 7}),
	"production",
	null,
]

pullrequest_cases := [
	pullrequest_test.base,
	pullrequest_test.with_meta({"approvers": [], "signed_off": false}),
	pullrequest_test.with_patch({"head_ref": "wip", "base_ref": "gh-pages"}),
	pullrequest_test.with_rules({"approvals_required": true}),
	pullrequest_test.with_patch({"repo_policy": null}),
	pullrequest_test.with_patch({"base_ref": ""}),
	[],
]

deploy_agrees(doc) if {
	r := deploy.result with input as doc
	r == {"allow": deploy.allow, "deny": deploy.deny, "violations": deploy.violations, "warnings": deploy.warnings} with input as doc
}

pullrequest_agrees(doc) if {
	r := pullrequest.result with input as doc
	r == {"allow": pullrequest.allow, "deny": pullrequest.deny, "violations": pullrequest.violations, "warnings": pullrequest.warnings} with input as doc
}

test_the_deploy_result_holds_allow_deny_violations_and_warnings_for_every_input if {
	every doc in deploy_cases {
		deploy_agrees(doc)
	}
}

test_the_pullrequest_result_holds_allow_deny_violations_and_warnings_for_every_input if {
	every doc in pullrequest_cases {
		pullrequest_agrees(doc)
	}
}

test_an_allowed_deployment_result_has_nothing_denied if {
	deploy.result == {"allow": true, "deny": set(), "violations": set(), "warnings": set()} with input as deploy_test.base
}

test_an_allowed_pull_request_result_has_nothing_denied if {
	pullrequest.result == {"allow": true, "deny": set(), "violations": set(), "warnings": set()} with input as pullrequest_test.base
}

test_a_denied_result_gives_the_message_of_each_violation if {
	doc := deploy_test.with_meta({"approvers": [], "signed_off": false})
	r := deploy.result with input as doc
	r.allow == false
	{v.code | some v in r.violations} == {"approvals.insufficient", "signoff.missing"}
	r.deny == {v.msg | some v in r.violations}
}

test_a_result_is_defined_and_denies_for_input_that_is_not_an_object if {
	r := pullrequest.result with input as "main"
	r.allow == false
	{v.code | some v in r.violations} == {"schema.input.not_object"}
}
