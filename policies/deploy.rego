# METADATA
# title: Deployment protection rules
# description: |
#   Decides whether a deployment to input.environment may proceed under the rules the repository
#   configured for that environment. Problems are reported in stages (malformed input, then a
#   missing or malformed policy, then the rules), so no rule is judged on malformed data.
package github.deploy

import data.lib.branches
import data.lib.enforcement
import data.lib.shape
import data.lib.text
import data.lib.workflow_meta

default allow := false

allow if {
	shape.input_is_object
	count(violations) == 0
}

deny := findings.deny

# The whole decision in one document: repol evaluates only this rule, so the input is parsed and the
# rules are judged once per decision. allow, deny and violations stay for those who query them.
# violations block; warnings are failed rules the environment set to `warn`.
result := {"allow": allow, "deny": deny, "violations": violations, "warnings": warnings}

violations := findings.blocking

warnings := findings.warnings

# Only the last stage, the rules themselves, can produce warnings: earlier stages always block.
findings := only_blocking(input_problems) if {
	count(input_problems) > 0
} else := only_blocking(policy_problems) if {
	count(policy_problems) > 0
} else := only_blocking(set()) if {
	environment.enabled == false
} else := only_blocking(rule_problems) if {
	count(rule_problems) > 0
} else := enforcement.findings(environment_enforcement, judged_list)

only_blocking(problems) := enforcement.findings(null, problems)

judged_list := [described(code) | some code in failed]

environment_enforcement := object.get(environment, "enforcement", null)

env_name := input.environment

# GitHub compares environment names case-insensitively; an exact key wins, otherwise a single
# key differing only in case. Several such keys define nothing, which denies.
env_key := env_name if {
	text.has_key(environments, env_name)
} else := key if {
	keys := [k | some k, _ in environments; text.fold(k) == folded_env_name]
	count(keys) == 1
	key := keys[0]
}

environment := environments[env_key]

meta := workflow_meta.meta

rules := environment.rules if is_object(environment.rules)

rules := {} if object.get(environment, "rules", null) == null

# A rule that is absent or null is not enforced: rule(name) is undefined for it.
rule(name) := value if {
	value := rules[name]
	value != null
}

# Fail closed: when the repository environments are unknown, none exist.
repo_environments := input.repo_environments if is_array(input.repo_environments)

repo_environments := [] if object.get(input, "repo_environments", null) == null

approvers := workflow_meta.approvers

branch := branches.branch_of(input.ref)

branch_or_null := branch if {
	is_string(branch)
} else := null

# Each rule is written as "enforced and not satisfied", so a fact that cannot be read fails it.
failed contains "env.missing" if not environment_exists

# Most names are written alike in both places, which spares folding them.
environment_exists if {
	is_string(env_name)
	env_name in repo_environments
} else if {
	some name in repo_environments
	text.fold(name) == folded_env_name
}

folded_env_name := text.fold(env_name)

# An organisation minimum narrows the repository's list instead of replacing it: the effective
# config carries both (allowed_branches_minimum, a list of pattern lists written by
# src/org/effective-deploy-config.ts) and a branch must match each list.
denying_branch_lists := [patterns |
	some patterns in array.concat([p | p := rule("allowed_branches")], object.get(rules, "allowed_branches_minimum", []))
	not branch_allowed(patterns)
]

failed contains "ref.denied" if count(denying_branch_lists) > 0

branch_allowed(patterns) if branches.matches_any(patterns, branch)

failed contains "approvals.insufficient" if {
	required := rule("approvals_required")
	not enough_approvals(required)
}

enough_approvals(required) if count(approvers) >= required

failed contains "tests.failed" if {
	rule("tests_passed") == true
	not tests_passed
}

tests_passed if meta.checks.tests == true

failed contains "signoff.missing" if {
	rule("signed_off") == true
	not workflow_meta.signed_off
}

# deployments_today counts this deployment too: with a limit of 5 the 5th passes, the 6th fails.
# A limit of 0 means no daily limit, as in gitpoli, whose files carry it; to stop every deployment,
# allow no branch (`allowed_branches: []`).
failed contains "rate_limit.exceeded" if {
	limit := rule("max_deployments_per_day")
	limit != 0
	not within_daily_limit(limit)
}

within_daily_limit(limit) if {
	is_number(meta.deployments_today)
	meta.deployments_today <= limit
}

# A failed rule always yields a violation, even if its details cannot be built.
described(code) := v if {
	v := rule_violation(code)
} else := object.union(rule_of(code), {"code": code, "msg": concat("", ["Rule ", code, " failed for ", env_name])})

# The config key each failure comes from, which its enforcement is looked up by.
rule_names := {
	"ref.denied": "allowed_branches",
	"approvals.insufficient": "approvals_required",
	"tests.failed": "tests_passed",
	"signoff.missing": "signed_off",
	"rate_limit.exceeded": "max_deployments_per_day",
}

rule_of(code) := {"rule": rule_names[code]} if {
	rule_names[code]
} else := {}

rule_violation("env.missing") := {
	"code": "env.missing",
	"msg": concat("", [
		"Environment ", env_name, " does not exist in this repository (repository environments: ",
		text.list(repo_environments, "none"), ")",
	]),
	"environment": env_name,
	"repo_environments": repo_environments,
}

rule_violation("ref.denied") := {
	"code": "ref.denied",
	"msg": ref_denied_msg(patterns),
	"rule": "allowed_branches",
	"ref": input.ref,
	"branch": branch_or_null,
	"patterns": patterns,
} if {
	patterns := denying_branch_lists[0]
}

rule_violation("approvals.insufficient") := {
	"code": "approvals.insufficient",
	"msg": text.approvals_msg(required, approvers),
	"rule": "approvals_required",
	"required": required,
	"actual": count(approvers),
	"approvers": approvers,
} if {
	required := rule("approvals_required")
}

# pending, failed and missing tell a check still running from one that cannot pass any more.
rule_violation("tests.failed") := {
	"code": "tests.failed",
	"msg": tests_msg(actual),
	"rule": "tests_passed",
	"actual": actual,
	"pending": workflow_meta.check_names("pending"),
	"failed": workflow_meta.check_names("failed"),
	"missing": workflow_meta.check_names("missing"),
} if {
	actual := object.get(object.get(meta, "checks", {}), "tests", null)
}

rule_violation("signoff.missing") := {
	"code": "signoff.missing",
	"msg": concat("", ["The deployment is not signed off; ", env_name, " requires a sign-off"]),
	"rule": "signed_off",
	"actual": object.get(meta, "signed_off", null),
}

rule_violation("rate_limit.exceeded") := {
	"code": "rate_limit.exceeded",
	"msg": rate_limit_msg(limit, actual),
	"rule": "max_deployments_per_day",
	"limit": limit,
	"actual": actual,
} if {
	limit := rule("max_deployments_per_day")
	actual := object.get(meta, "deployments_today", null)
}

ref_denied_msg(patterns) := concat("", ["No branch may deploy to ", env_name, ": allowed_branches is empty"]) if {
	count(patterns) == 0
} else := concat("", [
	"Branch ", branch, " may not deploy to ", env_name,
	" (allowed_branches: ", concat(", ", patterns), ")",
]) if {
	is_string(branch)
} else := concat("", [
	"Ref ", input.ref, " is not a branch; only branches may deploy to ", env_name,
	" (allowed_branches: ", concat(", ", patterns), ")",
])

tests_msg(actual) := concat("", [
	"Tests have not finished (", workflow_meta.unfinished_checks_text, "); ", env_name, " requires passing tests",
]) if {
	actual == false
	workflow_meta.check_names("failed") == []
	workflow_meta.unfinished_checks_text != ""
} else := concat("", ["Tests did not pass; ", env_name, " requires passing tests"]) if {
	actual == false
} else := concat("", ["No passing test result was found; ", env_name, " requires passing tests"])

rate_limit_msg(limit, actual) := concat("", [
	"This would be deployment ", text.number(actual), " to ", env_name, " today; the limit is ",
	text.number(limit), " per day",
]) if {
	is_number(actual)
} else := concat("", [
	"The number of deployments to ", env_name, " today is unknown; the limit is ",
	text.number(limit), " per day",
])
