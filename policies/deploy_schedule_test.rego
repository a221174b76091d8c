package github.deploy_schedule_test

import data.github.deploy
import data.github.deploy_test.with_patch
import data.github.deploy_test.with_rules

berlin_weekdays := {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00", "timezone": "Europe/Berlin"}

now := "2026-03-30T07:30:00.000Z"

# The facts repol computes for `berlin_weekdays` at `now` (Monday 09:30 in Berlin), with changes.
window_fact(local) := {
	"timezone": "Europe/Berlin",
	"local": object.union({"date": "2026-03-30", "day": "mon", "time": "09:30", "minute": 570}, local),
	"next_open": {"utc": "2026-03-31T07:00:00.000Z", "local": "2026-03-31 09:00 Europe/Berlin"},
}

with_windows(windows, facts) := object.union(with_rules({"deploy_windows": windows}), {
	"now": now,
	"schedule": {"now": now, "deploy_windows": facts, "freeze": []},
})

codes_of(doc) := {v.code | some v in found} if {
	found := deploy.violations with input as doc
}

closed(windows, facts) if "window.closed" in codes_of(with_windows(windows, facts))

test_a_deployment_inside_its_window_is_allowed if {
	deploy.allow with input as with_windows([berlin_weekdays], [window_fact({})])
}

test_a_window_opens_at_from_and_closes_at_to if {
	not closed([berlin_weekdays], [window_fact({"minute": 540})])
	not closed([berlin_weekdays], [window_fact({"minute": 1019})])
	closed([berlin_weekdays], [window_fact({"minute": 539})])
	closed([berlin_weekdays], [window_fact({"minute": 1020})])
}

test_a_deployment_on_a_day_outside_the_window_is_refused if {
	closed([berlin_weekdays], [window_fact({"day": "sun"})])
}

test_a_window_until_24_00_is_open_in_the_last_minute_of_the_day if {
	late := object.union(berlin_weekdays, {"from": "22:00", "to": "24:00"})
	not closed([late], [window_fact({"minute": 1439})])
}

test_one_open_window_of_several_is_enough if {
	weekend := object.union(berlin_weekdays, {"days": ["sat", "sun"], "timezone": "America/New_York"})
	ny_saturday := object.union(window_fact({"day": "sat", "minute": 600}), {"timezone": "America/New_York"})
	not closed([berlin_weekdays, weekend], [window_fact({"day": "sat"}), ny_saturday])
	closed([berlin_weekdays, weekend], [window_fact({"day": "sat"}), object.union(ny_saturday, {"local": {"day": "fri"}})])
}

test_missing_or_mismatched_window_facts_keep_the_window_closed if {
	closed([berlin_weekdays], [])
	closed([berlin_weekdays], [object.union(window_fact({}), {"timezone": "UTC"})])
	closed([berlin_weekdays], [object.union(window_fact({}), {"local": {"minute": "570"}})])
	"window.closed" in codes_of(with_rules({"deploy_windows": [berlin_weekdays]}))
}

test_window_facts_for_the_same_instant_written_otherwise_are_used if {
	doc := object.union(with_windows([berlin_weekdays], [window_fact({})]), {"now": "2026-03-30T07:30:00Z"})
	not "window.closed" in codes_of(doc)
}

test_window_facts_computed_for_another_time_are_not_used if {
	doc := object.union(with_windows([berlin_weekdays], [window_fact({})]), {"now": "2026-03-29T07:30:00.000Z"})
	"window.closed" in codes_of(doc)
}

test_the_window_closed_message_says_when_the_next_window_opens if {
	found := deploy.violations with input as with_windows([berlin_weekdays], [window_fact({"day": "sun"})])
	some v in found
	v.code == "window.closed"
	v.rule == "deploy_windows"
	v.next_open == {"utc": "2026-03-31T07:00:00.000Z", "local": "2026-03-31 09:00 Europe/Berlin"}
	v.msg == concat("", [
		"Deployments to production are allowed only mon, tue, wed, thu, fri 09:00–17:00 Europe/Berlin ",
		"(now 2026-03-30 07:30 UTC); the next window opens 2026-03-31 09:00 Europe/Berlin (2026-03-31 07:00 UTC)",
	])
}

test_the_earliest_next_opening_of_several_windows_is_named if {
	later := object.union(window_fact({"day": "sun"}), {"next_open": {"utc": "2026-04-01T07:00:00.000Z", "local": "x"}})
	found := deploy.violations with input as with_windows([berlin_weekdays, berlin_weekdays], [later, window_fact({"day": "sun"})])
	some v in found
	v.next_open.utc == "2026-03-31T07:00:00.000Z"
}

release_freeze := {"from": "2026-12-21T18:00:00+01:00", "to": "2027-01-04T08:00:00+01:00", "reason": "Year-end release freeze"}

freeze_fact := {"from": "2026-12-21T17:00:00.000Z", "to": "2027-01-04T07:00:00.000Z"}

with_freeze(at, facts) := object.union(with_rules({"freeze": [release_freeze]}), {
	"now": at,
	"schedule": {"now": at, "deploy_windows": [], "freeze": facts},
})

frozen(at, facts) if "freeze.active" in codes_of(with_freeze(at, facts))

test_a_freeze_covers_from_inclusive_to_exclusive if {
	not frozen("2026-12-21T16:59:59.999Z", [freeze_fact])
	frozen("2026-12-21T17:00:00.000Z", [freeze_fact])
	frozen("2027-01-04T06:59:59.999Z", [freeze_fact])
	not frozen("2027-01-04T07:00:00.000Z", [freeze_fact])
}

test_instants_compare_whatever_their_fraction_digits if {
	frozen("2026-12-21T17:00:00Z", [freeze_fact])
	frozen("2026-12-21T17:00:00.5Z", [freeze_fact])
	not frozen("2027-01-04T07:00:00Z", [freeze_fact])
	not frozen("2026-12-21T16:59:59.999999999Z", [freeze_fact])
}

test_a_freeze_that_cannot_be_judged_says_so if {
	found := deploy.violations with input as with_freeze("2026-06-01T00:00:00.000Z", [{"from": "soon", "to": freeze_fact.to}])
	some v in found
	v.code == "freeze.active"
	v.freezes == [object.union(release_freeze, {"ends": null})]
	v.msg == concat("", [
		"Deployments to production are frozen: the freeze from 2026-12-21T18:00:00+01:00 to 2027-01-04T08:00:00+01:00 ",
		"cannot be judged, as the current time or its bounds are unknown: Year-end release freeze",
	])
}

test_a_freeze_with_unknown_bounds_or_time_counts_as_active if {
	frozen("2026-06-01T00:00:00.000Z", [])
	frozen("2026-06-01T00:00:00.000Z", [{"from": "2026-12-21T18:00:00+01:00", "to": "2027-01-04T08:00:00+01:00"}])
	frozen("yesterday", [freeze_fact])
}

test_the_freeze_message_gives_its_end_and_reason if {
	found := deploy.violations with input as with_freeze("2026-12-24T12:00:00.000Z", [freeze_fact])
	some v in found
	v.code == "freeze.active"
	v.rule == "freeze"
	v.freezes == [object.union(release_freeze, {"ends": "2027-01-04T07:00:00.000Z"})]
	v.msg == "Deployments to production are frozen: until 2027-01-04 07:00 UTC (2027-01-04T08:00:00+01:00): Year-end release freeze"
}

test_malformed_windows_and_freezes_are_policy_problems if {
	problems := codes_of(with_rules({
		"deploy_windows": [object.union(berlin_weekdays, {"days": ["monday"]})],
		"freeze": [{"from": "2026-12-21T18:00:00+01:00"}],
	}))
	problems == {"schema.policy.deploy_windows_invalid", "schema.policy.freeze_invalid"}
	reversed := codes_of(with_rules({"deploy_windows": [object.union(berlin_weekdays, {"from": "18:00"})]}))
	reversed == {"schema.policy.deploy_windows_invalid"}
	empty := codes_of(with_rules({"deploy_windows": []}))
	empty == {"schema.policy.deploy_windows_invalid"}
}

# --- tests.failed tells a running check from a failed one ---

tests_violation(checks) := v if {
	found := deploy.violations with input as with_patch({"workflow_meta": {"checks": checks}})
	some v in found
	v.code == "tests.failed"
}

test_tests_failed_names_running_failed_and_missing_checks if {
	v := tests_violation({"tests": false, "pending": ["e2e"], "failed": ["lint"], "missing": ["build"]})
	v.pending == ["e2e"]
	v.failed == ["lint"]
	v.missing == ["build"]
	v.msg == "Tests did not pass; production requires passing tests"
}

test_tests_still_running_say_so if {
	v := tests_violation({"tests": false, "pending": ["e2e", "unit"], "failed": [], "missing": ["build"]})
	v.msg == "Tests have not finished (still running: e2e, unit; not reported yet: build); production requires passing tests"
}

test_tests_failed_without_check_lists_leaves_them_null if {
	v := tests_violation({"tests": false})
	v.pending == null
	v.failed == null
	v.missing == null
}
