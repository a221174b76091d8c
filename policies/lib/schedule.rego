# Time values for deploy_windows and freeze. The WASM build has no time builtins, so instants are
# compared as text: UTC RFC 3339 with the fraction padded to nanoseconds orders like the instants.
package lib.schedule

import data.lib.text

weekdays := ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

# "HH:MM" → minutes since midnight; "24:00" is 1440, the end of the day.
minute_of(clock) := (to_number(substring(clock, 0, 2)) * 60) + to_number(substring(clock, 3, 2))

instant(t) if {
	is_string(t)
	regex.match(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$`, t)
}

# from inclusive, to exclusive.
within(now, from, to) if {
	order_key(from) <= order_key(now)
	order_key(now) < order_key(to)
}

order_key(t) := concat("", [substring(t, 0, 19), digits, substring("000000000", 0, 9 - count(digits))]) if {
	digits := trim_prefix(trim_suffix(substring(t, 19, -1), "Z"), ".")
}

# "2026-03-30T07:00:00.000Z" → "2026-03-30 07:00 UTC".
utc_text(t) := concat("", [substring(t, 0, 10), " ", substring(t, 11, 5), " UTC"])

windows_msg(env, windows, next, now) := concat("", [
	"Deployments to ", env, " are allowed only ", windows_text(windows), now_text(now), next_text(next),
])

windows_text(windows) := concat("; or ", [window_text(w) | some w in windows])

window_text(w) := concat("", [
	concat(", ", [day | some day in weekdays; day in w.days]), " ", w.from, "–", w.to, " ", w.timezone,
])

now_text(now) := concat("", [" (now ", utc_text(now), ")"]) if {
	instant(now)
} else := " (the current time is unknown)"

next_text(next) := concat("", ["; the next window opens ", next.local, " (", utc_text(next.utc), ")"]) if {
	next != null
} else := "; no window opens in the coming two weeks"

well_formed_window(w) if {
	is_object(w)
	text.has_key(w, "timezone")
	is_string(w.timezone)
	count(w.days) > 0
	every day in w.days {
		day in weekdays
	}
	regex.match(`^([01]\d|2[0-3]):[0-5]\d$`, w.from)
	regex.match(`^(([01]\d|2[0-3]):[0-5]\d|24:00)$`, w.to)
	minute_of(w.from) < minute_of(w.to)
}

well_formed_freeze(f) if {
	is_object(f)
	is_string(f.from)
	is_string(f.to)
	is_string(f.reason)
}
