# Shape checks shared by the policies. Each returns true only for well-formed values, so anything
# unexpected is reported as a schema violation and evaluation fails closed.
package lib.shape

# Rego hoists a reference inside `not f(ref)` out of the negation, so `not is_object(input)` is
# undefined, not true, when the reference is undefined. Negating these rules and functions instead
# keeps "missing" on the failing side.
input_is_object if is_object(input)

string_field(obj, key) if is_string(obj[key])

# A count-like setting: approvals_required, max_deployments_per_day. Past 2^53 - 1 OPA and the WASM
# build disagree on floor() (1e30 is whole to one and not to the other), so such numbers are refused.
non_negative_integer(x) if {
	is_number(x)
	x >= 0
	x <= 9007199254740991
	floor(x) == x
}

string_list(x) if {
	is_array(x)
	every item in x {
		is_string(item)
	}
}

string_lists(x) if {
	is_array(x)
	every item in x {
		string_list(item)
	}
}

# A schema.policy.<suffix> violation for a config field holding the wrong kind of value.
policy_field_problem(suffix, field, expected, value) := {
	"code": concat("", ["schema.policy.", suffix]),
	"msg": concat("", ["Policy field ", field, " must be ", expected, " (got ", type_name(value), ")"]),
	"field": field,
	"actual": type_name(value),
}
