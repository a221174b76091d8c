# METADATA
# title: Pull request rules
# description: |
#   Decides whether a pull request from input.head_ref into input.base_ref satisfies the
#   repository's pull request policy. Like github.deploy, problems are reported in stages
#   (malformed input, then a missing or malformed policy, then the rules).
#   head_ref and base_ref are plain branch names, as in a pull_request payload.
package github.pullrequest

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
# violations block; warnings are failed rules the policy set to `warn`.
result := {"allow": allow, "deny": deny, "violations": violations, "warnings": warnings}

violations := findings.blocking

warnings := findings.warnings

# Only the rules themselves can warn: input and policy problems always block.
findings := enforcement.findings(null, input_problems) if {
	count(input_problems) > 0
} else := enforcement.findings(null, policy_problems) if {
	count(policy_problems) > 0
} else := enforcement.findings(policy_enforcement, judged_list)

judged_list := [described(code) | some code in failed]

# Undefined enforcement would make violations undefined, so a missing policy falls back to null.
policy_enforcement := object.get(policy, "enforcement", null) if {
	is_object(policy)
} else := null

policy := input.repo_policy.policy

# Absent or null rules are policy.missing (pullrequest_schema.rego), so rules are never judged then.
rules := policy.rules if is_object(policy.rules)

# A rule that is absent or null is not enforced: rule(name) is undefined for it.
rule(name) := value if {
	value := rules[name]
	value != null
}

branch_rules := policy.branch_rules if is_array(policy.branch_rules)

branch_rules := [] if object.get(policy, "branch_rules", null) == null

approvers := workflow_meta.approvers

# gitpoli's names for each family of violations, so policy tests written for gitpoli keep working.
policy_missing_violations := {v | some v in violations; v.code == "policy.missing"}

branch_naming_violations := {v | some v in violations; v.code == "branch_naming.denied"}

target_branch_violations := {v | some v in violations; v.code == "target_branch.denied"}

approval_violations := {v | some v in violations; v.code == "approvals.insufficient"}

signoff_violations := {v | some v in violations; v.code == "signoff.missing"}

# Each rule is written as "enforced and not satisfied", so a fact that cannot be read fails it.
failed contains "branch_naming.denied" if {
	count(branch_rules) > 0
	not branch_pair_allowed
}

branch_pair_allowed if {
	some pair in branch_rules
	branches.matches(pair.source, input.head_ref)
	branches.matches(pair.target, input.base_ref)
}

# An organisation minimum narrows the repository's list (see deploy.rego): a target must match each.
denying_target_lists := [patterns |
	some patterns in array.concat([p | p := rule("allowed_target_branches")], object.get(rules, "allowed_target_branches_minimum", []))
	not target_allowed(patterns)
]

failed contains "target_branch.denied" if count(denying_target_lists) > 0

target_allowed(patterns) if branches.matches_any(patterns, input.base_ref)

failed contains "approvals.insufficient" if {
	required := rule("approvals_required")
	not enough_approvals(required)
}

enough_approvals(required) if count(approvers) >= required

failed contains "signoff.missing" if {
	rule("signed_off") == true
	not workflow_meta.signed_off
}

# A failed rule always yields a violation, even if its details cannot be built.
described(code) := v if {
	v := rule_violation(code)
} else := object.union(rule_of(code), {"code": code, "msg": concat("", ["Rule ", code, " failed"])})

# The config key each failure comes from, which its enforcement is looked up by.
rule_names := {
	"branch_naming.denied": "branch_rules",
	"target_branch.denied": "allowed_target_branches",
	"approvals.insufficient": "approvals_required",
	"signoff.missing": "signed_off",
}

rule_of(code) := {"rule": rule_names[code]} if {
	rule_names[code]
} else := {}

rule_violation("branch_naming.denied") := {
	"code": "branch_naming.denied",
	"msg": concat("", [
		"Branch ", input.head_ref, " may not be merged into ", input.base_ref,
		" (branch_rules allow: ", concat(", ", [concat(" -> ", [pair.source, pair.target]) | some pair in branch_rules]), ")",
	]),
	"rule": "branch_rules",
	"head_ref": input.head_ref,
	"base_ref": input.base_ref,
	"branch_rules": branch_rules,
}

rule_violation("target_branch.denied") := {
	"code": "target_branch.denied",
	"msg": target_denied_msg(patterns),
	"rule": "allowed_target_branches",
	"base_ref": input.base_ref,
	"patterns": patterns,
} if {
	patterns := denying_target_lists[0]
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

rule_violation("signoff.missing") := {
	"code": "signoff.missing",
	"msg": "The pull request is not signed off; this repository requires a sign-off",
	"rule": "signed_off",
	"actual": object.get(workflow_meta.meta, "signed_off", null),
}

target_denied_msg(patterns) := "No target branch is allowed: allowed_target_branches is empty" if {
	count(patterns) == 0
} else := concat("", [
	"Target branch ", input.base_ref, " is not allowed (allowed_target_branches: ",
	concat(", ", patterns), ")",
])
