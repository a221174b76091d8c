# Shape checks for github.deploy: malformed input (schema.input.*) and a missing or malformed
# policy (schema.policy.*). The rules in deploy.rego only run once these are empty.
package github.deploy

import data.lib.enforcement
import data.lib.format_version
import data.lib.shape
import data.lib.text
import data.lib.workflow_meta

# required_checks is not judged here: the handler uses it to decide workflow_meta.checks.tests.
# deploy_windows and freeze are judged in deploy_schedule.rego.
known_rules := {
	"approvals_required", "allowed_branches", "tests_passed", "required_checks",
	"signed_off", "max_deployments_per_day", "deploy_windows", "freeze",
}

# Written by repol, never by a repository: an organisation minimum that narrows a branch list.
organisation_rules := {"allowed_branches_minimum"}

input_problems contains {
	"code": "schema.input.not_object",
	"msg": "The deployment input must be a JSON object",
} if {
	not shape.input_is_object
}

input_problems contains input_type_problem("environment", "environment_not_string", "a string") if {
	is_object(input)
	not shape.string_field(input, "environment")
}

input_problems contains {
	"code": "schema.input.environment_empty",
	"msg": "Input field environment must name the target environment (got an empty string)",
	"field": "environment",
} if {
	input.environment == ""
}

input_problems contains input_type_problem("ref", "ref_not_string", "a string such as refs/heads/main") if {
	is_object(input)
	not shape.string_field(input, "ref")
}

input_problems contains input_type_problem("repo_environments", "repo_environments_not_array", "an array of names") if {
	object.get(input, "repo_environments", null) != null
	not is_array(input.repo_environments)
}

input_problems contains {
	"code": "schema.input.repo_environment_not_string",
	"msg": concat("", ["Input field repo_environments[", text.number(i), "] must be a string (got ", type_name(name), ")"]),
	"field": concat("", ["repo_environments[", text.number(i), "]"]),
	"actual": type_name(name),
} if {
	is_array(input.repo_environments)
	some i, name in input.repo_environments
	not is_string(name)
}

input_problems contains p if {
	is_object(input)
	some p in workflow_meta.problems
}

input_problems contains {
	"code": "schema.input.checks_not_object",
	"msg": concat("", ["Input field workflow_meta.checks must be an object (got ", text.type_of(meta, "checks"), ")"]),
	"field": "workflow_meta.checks",
	"actual": text.type_of(meta, "checks"),
} if {
	object.get(meta, "checks", null) != null
	not is_object(meta.checks)
}

input_type_problem(field, suffix, expected) := {
	"code": concat("", ["schema.input.", suffix]),
	"msg": concat("", ["Input field ", field, " must be ", expected, " (got ", text.type_of(input, field), ")"]),
	"field": field,
	"actual": text.type_of(input, field),
}

# At most one: each check assumes the ones before it passed.
policy_problems contains p if p := policy_problem

policy_problem := {
	"code": "schema.policy.missing",
	"msg": "No deployment policy was provided (repo_policy is missing)",
} if {
	object.get(input, "repo_policy", null) == null
} else := shape.policy_field_problem("not_object", "repo_policy", "an object", input.repo_policy) if {
	not is_object(input.repo_policy)
} else := {
	"code": "schema.policy.missing",
	"msg": "No deployment policy was provided (repo_policy.policy is missing)",
} if {
	object.get(input.repo_policy, "policy", null) == null
} else := shape.policy_field_problem("not_object", "policy", "an object", input.repo_policy.policy) if {
	not is_object(input.repo_policy.policy)
} else := problem if {
	problem := format_version.policy_problem(input.repo_policy.policy)
} else := shape.policy_field_problem("environments_not_object", "policy.environments", "an object", environments) if {
	not is_object(environments)
} else := {
	"code": "schema.policy.env_not_defined",
	"msg": concat("", [
		"Environment ", env_name, " is not defined in the deployment policy (defined environments: ",
		text.list(sort([name | some name, _ in environments]), "none"), ")",
	]),
	"environment": env_name,
} if {
	not env_key
} else := shape.policy_field_problem("env_not_object", env_field, "an object", environment) if {
	not is_object(environment)
} else := shape.policy_field_problem("enabled_invalid", concat(".", [env_field, "enabled"]), "true or false", environment.enabled) if {
	object.get(environment, "enabled", null) != null
	not is_boolean(environment.enabled)
}

# Absent or null environments define none, so the target is reported as not defined.
environments := input.repo_policy.policy.environments if {
	object.get(input.repo_policy.policy, "environments", null) != null
} else := {}

env_field := concat(".", ["policy.environments", env_name])

rules_field := concat(".", [env_field, "rules"])

# Rules an environment may set to warn or block; tests_passed covers required_checks. The window
# rules are named ahead of their checks so a config setting them is not refused.
enforceable_rules := {
	"approvals_required", "allowed_branches", "tests_passed", "signed_off",
	"max_deployments_per_day", "deploy_windows", "freeze",
}

# Most environments set no enforcement, which has no problems: its arguments need not be built then.
rule_problems contains p if {
	environment_enforcement != null
	some p in enforcement.problems(environment_enforcement, concat(".", [env_field, "enforcement"]), enforceable_rules)
}

rule_problems contains shape.policy_field_problem("rules_not_object", rules_field, "an object", environment.rules) if {
	object.get(environment, "rules", null) != null
	not is_object(environment.rules)
}

rule_problems contains {
	"code": "schema.policy.unknown_rule",
	"msg": concat("", [
		"Policy field ", rules_field, " has an unknown rule ", name,
		" (known rules: ", concat(", ", sort(known_rules)), ")",
	]),
	"field": concat(".", [rules_field, name]),
	"rule": name,
} if {
	# Lookups: opa-wasm's `in` walks a whole set, hashing a member at each step.
	some name, _ in rules
	not known_rules[name]
	not organisation_rules[name]
}

rule_problems contains rule_problem(name, "a non-negative integer") if {
	some name in ["approvals_required", "max_deployments_per_day"]
	value := rule(name)
	not shape.non_negative_integer(value)
}

rule_problems contains rule_problem("allowed_branches", "null or an array of branch patterns") if {
	value := rule("allowed_branches")
	not shape.string_list(value)
}

rule_problems contains rule_problem("allowed_branches_minimum", "an array of branch pattern lists") if {
	value := rule("allowed_branches_minimum")
	not shape.string_lists(value)
}

rule_problems contains rule_problem("required_checks", "null or an array of check names") if {
	value := rule("required_checks")
	not shape.string_list(value)
}

rule_problems contains rule_problem(name, "true or false") if {
	some name in ["tests_passed", "signed_off"]
	value := rule(name)
	not is_boolean(value)
}

rule_problem(name, expected) := object.union(
	shape.policy_field_problem(concat("", [name, "_invalid"]), concat(".", [rules_field, name]), expected, rule(name)),
	{"rule": name},
)
