# Per-rule enforcement: a repository may set a built-in rule to `warn`, so its failure is reported
# without blocking. Only rule failures can be softened; problems with the input, the environment or
# the config itself always block, or a broken file could turn every rule into a warning.
package lib.enforcement

import data.lib.shape

levels := {"warn", "block"}

# The setting of one rule, or "block" when the config leaves it out (or is malformed).
level(enforcement, name) := enforcement[name] if {
	is_object(enforcement)
	enforcement[name] in levels
} else := "block"

always_blocks(v) if v.code == "env.missing"

always_blocks(v) if v.code == "policy.missing"

always_blocks(v) if startswith(v.code, "schema.")

always_blocks(v) if startswith(v.code, "config.")

warns(enforcement, v) if {
	not always_blocks(v)
	is_string(v.rule)
	level(enforcement, v.rule) == "warn"
}

# Rule failures (a set or an array of distinct ones) split into those that block and those that
# only warn, with the messages of those that block. Most configs set no rule to warn, and then every
# failure blocks: they are not sorted one by one, and the messages come from the failures as given
# (a set of objects costs a hash of each member at every step of a walk through it).
findings(enforcement, failures) := {
	"blocking": {v | some v in failures},
	"warnings": set(),
	"deny": {v.msg | some v in failures},
} if {
	not sets_a_warning(enforcement)
} else := {
	"blocking": blocking,
	"warnings": {v | some v in failures; warns(enforcement, v)},
	"deny": {v.msg | some v in blocking},
} if {
	blocking := {v | some v in failures; not warns(enforcement, v)}
}

sets_a_warning(enforcement) if {
	is_object(enforcement)
	some level in enforcement
	level == "warn"
}

# Config problems of an `enforcement` object found at `field`; `known` are the rule names it may set.
problems(enforcement, _, _) := set() if enforcement == null

problems(enforcement, field, _) := {shape.policy_field_problem("enforcement_not_object", field, "an object", enforcement)} if {
	enforcement != null
	not is_object(enforcement)
}

problems(enforcement, field, known) := unknown_rules(enforcement, field, known) | invalid_levels(enforcement, field, known) if {
	is_object(enforcement)
}

unknown_rules(enforcement, field, known) := {{
	"code": "schema.policy.enforcement_unknown_rule",
	"msg": concat("", [
		"Policy field ", field, " names an unknown rule ", name,
		" (rules that can be enforced: ", concat(", ", sort(known)), ")",
	]),
	"field": concat(".", [field, name]),
	"rule": name,
} |
	some name, _ in enforcement
	not name in known
}

invalid_levels(enforcement, field, known) := {{
	"code": "schema.policy.enforcement_invalid",
	"msg": concat("", [
		"Policy field ", field, ".", name, " must be warn or block (got ", value_text(value), ")",
	]),
	"field": concat(".", [field, name]),
	"rule": name,
	"actual": type_name(value),
} |
	some name, value in enforcement
	name in known
	not value in levels
}

value_text(value) := json.marshal(value) if {
	is_string(value)
} else := type_name(value)
