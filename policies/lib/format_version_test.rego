package lib.format_version_test

import data.lib.format_version

version_cases := [
	{"version": 1, "supported": true},
	{"version": 1.0, "supported": true},
	{"version": "1", "supported": true},
	{"version": "1.0", "supported": true},
	{"version": "1.0.0", "supported": true},
	{"version": "1.2", "supported": true},
	{"version": "1.10.3", "supported": true},
	{"version": 2, "supported": false},
	{"version": 0, "supported": false},
	{"version": 1.5, "supported": false},
	{"version": "2", "supported": false},
	{"version": "2.0", "supported": false},
	{"version": "0.9", "supported": false},
	{"version": "10.0", "supported": false},
	{"version": "1.0.0.0", "supported": false},
	{"version": "1.", "supported": false},
	{"version": "1..0", "supported": false},
	{"version": "1.x", "supported": false},
	{"version": "1.0-beta", "supported": false},
	{"version": "v1", "supported": false},
	{"version": " 1", "supported": false},
	{"version": "", "supported": false},
	{"version": true, "supported": false},
	{"version": ["1"], "supported": false},
	{"version": {"major": 1}, "supported": false},
]

test_only_major_version_1_is_supported if {
	every c in version_cases {
		is_supported(c.version) == c.supported
	}
}

# supported(v) is undefined, not false, for an unsupported version.
is_supported(v) if format_version.supported(v)

else := false

test_unsupported_versions_are_problems_and_supported_or_absent_ones_are_not if {
	every c in version_cases {
		has_problem({"version": c.version}) != c.supported
	}
	has_problem({}) == false
	has_problem({"version": null}) == false
}

has_problem(policy) if format_version.policy_problem(policy)

else := false

test_the_problem_shows_a_text_version_and_the_type_of_any_other if {
	format_version.policy_problem({"version": "2.0"}) == {
		"code": "schema.policy.version_unsupported",
		"msg": "Policy field policy.version must be 1 or a 1.x version string such as \"1.0\" (got \"2.0\")",
		"field": "policy.version",
		"actual": "string",
	}
	format_version.policy_problem({"version": 2}).msg == "Policy field policy.version must be 1 or a 1.x version string such as \"1.0\" (got number)"
}
