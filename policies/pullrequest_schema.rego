# Shape checks for github.pullrequest: malformed input (schema.input.*), a missing policy
# (policy.missing) and a malformed one (schema.policy.*). The rules only run once these are empty.
package github.pullrequest

import data.lib.enforcement
import data.lib.format_version
import data.lib.shape
import data.lib.text
import data.lib.workflow_meta

known_rules := {"allowed_target_branches", "approvals_required", "signed_off"}

# Rules the policy may set to warn or block: branch_rules sits beside `rules`, but is one too.
enforceable_rules := known_rules | {"branch_rules"}

# Written by repol, never by a repository: an organisation minimum that narrows a branch list.
organisation_rules := {"allowed_target_branches_minimum"}

input_problems contains {
	"code": "schema.input.not_object",
	"msg": "The pull request input must be a JSON object",
} if {
	not shape.input_is_object
}

input_problems contains {
	"code": concat("", ["schema.input.", field, "_not_string"]),
	"msg": concat("", ["Input field ", field, " must be a branch name (got ", text.type_of(input, field), ")"]),
	"field": field,
	"actual": text.type_of(input, field),
} if {
	is_object(input)
	some field in ["head_ref", "base_ref"]
	not shape.string_field(input, field)
}

input_problems contains {
	"code": concat("", ["schema.input.", field, "_empty"]),
	"msg": concat("", ["Input field ", field, " must be a branch name (got an empty string)"]),
	"field": field,
} if {
	some field in ["head_ref", "base_ref"]
	input[field] == ""
}

input_problems contains p if {
	is_object(input)
	some p in workflow_meta.problems
}

# At most one: each check assumes the ones before it passed.
policy_problems contains p if p := policy_shape_problem

policy_problems contains p if {
	not policy_shape_problem
	some p in rule_problems
}

policy_shape_problem := {
	"code": "policy.missing",
	"msg": "No pull request policy was provided (repo_policy is missing)",
} if {
	object.get(input, "repo_policy", null) == null
} else := shape.policy_field_problem("not_object", "repo_policy", "an object", input.repo_policy) if {
	not is_object(input.repo_policy)
} else := {
	"code": "policy.missing",
	"msg": "No pull request policy was provided (repo_policy.policy is missing)",
} if {
	object.get(input.repo_policy, "policy", null) == null
} else := shape.policy_field_problem("not_object", "policy", "an object", policy) if {
	not is_object(policy)
} else := problem if {
	problem := format_version.policy_problem(policy)
} else := {
	"code": "policy.missing",
	"msg": "No pull request rules were provided (policy.rules is missing); write `rules: {}` to require nothing",
} if {
	# Without rules nothing would be judged, so the pull request would pass unexamined. An explicit
	# `rules: {}` is a deliberate "no requirements" and is judged like any other rule set.
	object.get(policy, "rules", null) == null
}

rule_problems contains shape.policy_field_problem(
	"branch_rules_invalid", "policy.branch_rules",
	"an array of {source, target} branch patterns", policy.branch_rules,
) if {
	object.get(policy, "branch_rules", null) != null
	not valid_branch_rules(policy.branch_rules)
}

valid_branch_rules(pairs) if {
	is_array(pairs)
	every pair in pairs {
		is_string(pair.source)
		is_string(pair.target)
	}
}

# Most policies set no enforcement, which has no problems: its arguments need not be built then.
rule_problems contains p if {
	policy_enforcement != null
	some p in enforcement.problems(policy_enforcement, "policy.enforcement", enforceable_rules)
}

rule_problems contains shape.policy_field_problem("rules_not_object", "policy.rules", "an object", policy.rules) if {
	object.get(policy, "rules", null) != null
	not is_object(policy.rules)
}

rule_problems contains {
	"code": "schema.policy.unknown_rule",
	"msg": concat("", [
		"Policy field policy.rules has an unknown rule ", name,
		" (known rules: ", concat(", ", sort(known_rules)), ")",
	]),
	"field": concat(".", ["policy.rules", name]),
	"rule": name,
} if {
	# Lookups: opa-wasm's `in` walks a whole set, hashing a member at each step.
	some name, _ in rules
	not known_rules[name]
	not organisation_rules[name]
}

rule_problems contains rule_problem("allowed_target_branches", "null or an array of branch patterns") if {
	value := rule("allowed_target_branches")
	not shape.string_list(value)
}

rule_problems contains rule_problem("allowed_target_branches_minimum", "an array of branch pattern lists") if {
	value := rule("allowed_target_branches_minimum")
	not shape.string_lists(value)
}

rule_problems contains rule_problem("approvals_required", "a non-negative integer") if {
	value := rule("approvals_required")
	not shape.non_negative_integer(value)
}

rule_problems contains rule_problem("signed_off", "true or false") if {
	value := rule("signed_off")
	not is_boolean(value)
}

rule_problem(name, expected) := object.union(
	shape.policy_field_problem(concat("", [name, "_invalid"]), concat(".", ["policy.rules", name]), expected, rule(name)),
	{"rule": name},
)
