# The config format version both policies accept. repol writes it as the integer 1; repositories
# coming from gitpoli write strings such as "1.0.0" (deploy) and "1.0" (pull request). Only major
# version 1 exists, so "1", "1.<n>" and "1.<n>.<n>" are the same format.
#
# Built from split/trim only (no regex or glob builtins), so the WASM build and OPA agree on every value.
package lib.format_version

supported(version) if version == 1

supported(version) if {
	is_string(version)
	parts := split(version, ".")
	parts[0] == "1"
	count(parts) <= 3
	every part in array.slice(parts, 1, count(parts)) {
		digits(part)
	}
}

digits(s) if {
	s != ""
	trim_left(s, "0123456789") == ""
}

# A version the policies do not understand: judging it as format 1 could enforce the wrong rules.
# The value is only shown when it is text; numbers are rendered differently by the WASM build and OPA.
problem(version) := {
	"code": "schema.policy.version_unsupported",
	"msg": concat("", [
		"Policy field policy.version must be 1 or a 1.x version string such as \"1.0\" (got ",
		shown(version), ")",
	]),
	"field": "policy.version",
	"actual": type_name(version),
}

shown(version) := concat("", ["\"", version, "\""]) if is_string(version)

shown(version) := type_name(version) if not is_string(version)

# schema.policy.version_unsupported for a present but unsupported version. An absent version is not
# a problem here: the config loader requires it, and a hand-written input (`repol eval`, /evaluate)
# is judged as format 1.
policy_problem(policy) := problem(version) if {
	version := object.get(policy, "version", null)
	version != null
	not supported(version)
}
