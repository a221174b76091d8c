# The workflow facts both policies read from input.workflow_meta: who approved and whether the
# change is signed off. An absent or null fact counts as "not given", so the rule needing it fails.
package lib.workflow_meta

import data.lib.text

meta := input.workflow_meta if is_object(input.workflow_meta)

meta := {} if object.get(input, "workflow_meta", null) == null

# Distinct approver logins, sorted.
approvers := sort({login | some login in meta.approvers}) if is_array(meta.approvers)

approvers := [] if object.get(meta, "approvers", null) == null

signed_off if meta.signed_off == true

# The names in workflow_meta.checks.<kind> (pending, failed, missing), or null when not given.
check_names(kind) := names if {
	names := meta.checks[kind]
	is_array(names)
	every name in names {
		is_string(name)
	}
} else := null

unfinished_checks_text := concat("; ", [part |
	some [kind, label] in [["pending", "still running: "], ["missing", "not reported yet: "]]
	names := check_names(kind)
	count(names) > 0
	part := concat("", [label, concat(", ", names)])
])

# schema.input.* violations; only meaningful when input is an object.
problems contains {
	"code": "schema.input.workflow_meta_not_object",
	"msg": concat("", ["Input field workflow_meta must be an object (got ", type_name(input.workflow_meta), ")"]),
	"field": "workflow_meta",
	"actual": type_name(input.workflow_meta),
} if {
	object.get(input, "workflow_meta", null) != null
	not is_object(input.workflow_meta)
}

problems contains {
	"code": "schema.input.approvers_not_array",
	"msg": concat("", ["Input field workflow_meta.approvers must be an array of logins (got ", type_name(meta.approvers), ")"]),
	"field": "workflow_meta.approvers",
	"actual": type_name(meta.approvers),
} if {
	object.get(meta, "approvers", null) != null
	not is_array(meta.approvers)
}

problems contains {
	"code": "schema.input.approver_not_string",
	"msg": concat("", [
		"Input field workflow_meta.approvers[", text.number(i), "] must be a login string (got ",
		type_name(login), ")",
	]),
	"field": concat("", ["workflow_meta.approvers[", text.number(i), "]"]),
	"actual": type_name(login),
} if {
	is_array(meta.approvers)
	some i, login in meta.approvers
	not is_string(login)
}
