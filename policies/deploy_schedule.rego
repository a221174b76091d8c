# Deployment windows and freezes: deploy_windows (a deployment must fall inside one) and freeze
# (none may cover now), judged from input.now and input.schedule. The WASM build has no time zone builtins, so repol supplies, per
# configured window and freeze in the same order, the local clock in the window's zone and the
# freeze bounds as UTC text in the format of input.now (which compares as text).
package github.deploy

import data.lib.schedule

schedule_facts := input.schedule if is_object(input.schedule)

schedule_facts := {} if object.get(input, "schedule", null) == null

rule_problems contains rule_problem("deploy_windows", concat("", [
	"a non-empty list of windows, each with days (", concat(", ", schedule.weekdays),
	"), from and to (HH:MM, from before to, to at most 24:00) and timezone",
])) if {
	windows := rule("deploy_windows")
	not well_formed_windows(windows)
}

well_formed_windows(windows) if {
	is_array(windows)
	count(windows) > 0
	every window in windows {
		schedule.well_formed_window(window)
	}
}

rule_problems contains rule_problem("freeze", "a list of freezes, each with from, to and reason") if {
	freezes := rule("freeze")
	not well_formed_freezes(freezes)
}

well_formed_freezes(freezes) if {
	is_array(freezes)
	every freeze in freezes {
		schedule.well_formed_freeze(freeze)
	}
}

# A window's facts are used only if they are about that window; anything else leaves it closed.
failed contains "window.closed" if {
	windows := rule("deploy_windows")
	not inside_a_window(windows)
}

# Window facts count only if they were computed for input.now (the same instant, however many fraction digits).
inside_a_window(windows) if {
	schedule.instant(input.now)
	schedule.instant(schedule_facts.now)
	schedule.order_key(schedule_facts.now) == schedule.order_key(input.now)
	some i, window in windows
	fact := schedule_facts.deploy_windows[i]
	fact.timezone == window.timezone
	fact.local.day in window.days
	schedule.minute_of(window.from) <= fact.local.minute
	fact.local.minute < schedule.minute_of(window.to)
}

# A freeze whose bounds or the current time are unknown counts as active.
failed contains "freeze.active" if count(active_freezes) > 0

active_freezes := [i | some i, _ in rule("freeze"); not freeze_clear(i)]

freeze_clear(i) if {
	fact := schedule_facts.freeze[i]
	schedule.instant(fact.from)
	schedule.instant(fact.to)
	schedule.instant(input.now)
	not schedule.within(input.now, fact.from, fact.to)
}

now_or_null := input.now if is_string(input.now)

now_or_null := null if not is_string(input.now)

rule_violation("window.closed") := {
	"code": "window.closed",
	"msg": schedule.windows_msg(env_name, windows, next_opening, now_or_null),
	"rule": "deploy_windows",
	"now": now_or_null,
	"windows": windows,
	"next_open": next_opening,
} if {
	windows := rule("deploy_windows")
}

# The earliest next opening among the windows, {"utc", "local"}, or null if none is known.
next_opening := {"utc": opens[0][0], "local": opens[0][1]} if {
	opens := sort([[f.next_open.utc, f.next_open.local] |
		some i, _ in rule("deploy_windows")
		f := schedule_facts.deploy_windows[i]
		schedule.instant(f.next_open.utc)
		is_string(f.next_open.local)
	])
	count(opens) > 0
} else := null

rule_violation("freeze.active") := {
	"code": "freeze.active",
	"msg": concat("", ["Deployments to ", env_name, " are frozen: ", concat("; ", [freeze_text(i) | some i in active_freezes])]),
	"rule": "freeze",
	"now": now_or_null,
	"freezes": [object.union(rule("freeze")[i], {"ends": freeze_end(i)}) | some i in active_freezes],
}

# Every freeze here is active or cannot be judged; the end is null for the latter.
freeze_end(i) := schedule_facts.freeze[i].to if {
	schedule.instant(schedule_facts.freeze[i].from)
	schedule.instant(schedule_facts.freeze[i].to)
	schedule.instant(input.now)
} else := null

freeze_text(i) := concat("", ["until ", schedule.utc_text(end), " (", rule("freeze")[i].to, "): ", reason_of(i)]) if {
	end := freeze_end(i)
	end != null
} else := concat("", [
	"the freeze from ", rule("freeze")[i].from, " to ", rule("freeze")[i].to,
	" cannot be judged, as the current time or its bounds are unknown: ", reason_of(i),
])

reason_of(i) := reason if {
	reason := rule("freeze")[i].reason
	is_string(reason)
} else := "no reason given"
