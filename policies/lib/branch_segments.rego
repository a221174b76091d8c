# Whether a brace-free branch pattern matches a whole name. Runs of `*` split the pattern into
# fixed-length segments; the first is pinned to the start of the name, the last to its end, and
# each one between is placed after the previous one, one step per gap. Each step keeps only the set
# of places where the segments so far can end, so the work is bounded by the name's length per gap.
# Names are arrays of single characters (split(x, "")), patterns come from lib.branch_alternatives.
package lib.branch_segments

import data.lib.branches

matches(a, s) if {
	count(star_runs(a)) == 0
	whole := tests(a, 0, count(a))
	count(whole) == count(s)
	fixed_at(whole, s, 0)
}

matches(a, s) if {
	gaps := star_runs(a)
	count(gaps) > 0
	count(gaps) <= branches.max_stars
	segments := [tests(a, from, to) | some m in numbers.range(0, count(gaps)); [from, to] := segment_bounds(a, gaps, m)]
	last := segments[count(gaps)]
	tail := count(s) - count(last)
	tail >= count(segments[0])
	fixed_at(segments[0], s, 0)
	fixed_at(last, s, tail)
	name := name_of(s, gaps)
	ends := placed(segments, gaps, name, {count(segments[0])})
	tail in starts_after(gaps[count(gaps) - 1].kind, name, ends)
}

# Unrolled: a supported pattern has at most branches.max_stars runs of `*`, so at most seven
# segments sit between the first and the last.
placed(segments, gaps, name, ends0) := ends7 if {
	ends1 := place(segments, gaps, name, 1, ends0)
	ends2 := place(segments, gaps, name, 2, ends1)
	ends3 := place(segments, gaps, name, 3, ends2)
	ends4 := place(segments, gaps, name, 4, ends3)
	ends5 := place(segments, gaps, name, 5, ends4)
	ends6 := place(segments, gaps, name, 6, ends5)
	ends7 := place(segments, gaps, name, 7, ends6)
}

place(_, gaps, _, m, ends) := ends if m >= count(gaps)

place(segments, gaps, name, m, ends) := {end |
	some q in starts_after(gaps[m - 1].kind, name, ends)
	fixed_at(segment, name.chars, q)
	end := q + count(segment)
} if {
	m < count(gaps)
	segment := segments[m]
}

# Where the next segment may start when the gap before it begins at one of `ends`: anywhere after
# the first end for `**`; for `*`, up to the first "/" after an end, within that end's part of the
# name ("/"-separated), so only the first end in each part matters.
starts_after("**", name, ends) := numbers.range(min(ends), count(name.chars)) if count(ends) > 0

starts_after("*", name, ends) := {q |
	some [from, to] in name.parts
	first := min({e | some e in ends; e >= from; e <= to})
	some q in numbers.range(first, to)
}

starts_after(_, _, ends) := set() if count(ends) == 0

# A `*` gap needs the name's "/"-separated parts: [first position, position of the "/" ending it
# or the name's length]. A gap may end on that "/" but not go past it.
name_of(s, gaps) := {"chars": s, "parts": parts_of(s)} if {
	some gap in gaps
	gap.kind == "*"
} else := {"chars": s}

parts_of(s) := [[bounds[t] + 1, bounds[t + 1]] | some t in numbers.range(0, count(bounds) - 2)] if {
	bounds := array.concat(array.concat([-1], [k | some k, c in s; c == "/"]), [count(s)])
}

# Each run of `*`: where it starts and ends, and whether it may cross "/" (two or more stars).
star_runs(a) := [{"start": i, "end": end, "kind": kind} |
	some i, c in a
	c == "*"
	not a[i - 1] == "*"
	end := min(array.concat([k | some k, x in a; k > i; x != "*"], [count(a)]))
	kind := run_kind(end - i)
]

run_kind(1) := "*"

run_kind(n) := "**" if n > 1

# Segment m runs from the end of the m-th run of `*` (or the start) to the next run (or the end).
segment_bounds(a, gaps, m) := [segment_from(gaps, m), segment_to(a, gaps, m)]

segment_from(_, 0) := 0

segment_from(gaps, m) := gaps[m - 1].end if m > 0

segment_to(a, gaps, m) := count(a) if m == count(gaps)

segment_to(_, gaps, m) := gaps[m].start if m < count(gaps)

# The tests for the characters of a[from:to], one per name character: a literal, `?` or a class.
# The "" between an alternative's parts stands for nothing.
tests(a, from, to) := [test(a, i) |
	inner := inner_positions(a)
	some i, c in a
	i >= from
	i < to
	c != ""
	not i in inner
]

# The positions after each `[` up to its `]`, which the class's test stands for.
inner_positions(a) := {k | some o in branches.opens(a, "["); some k in numbers.range(o + 1, branches.close_of(a, o, "]"))}

test(a, i) := {"kind": "not_slash"} if {
	a[i] == "?"
} else := class_test(branches.class_body(a, i)) if {
	a[i] == "["
} else := {"kind": "char", "char": a[i]}

class_test(body) := {"kind": "range", "negated": negated(body), "lo": items[0], "hi": items[2]} if {
	items := branches.class_items(body)
	branches.is_range(items)
} else := {"kind": "list", "negated": negated(body), "chars": {c | some c in branches.class_items(body)}}

negated(body) if {
	body[0] == "!"
} else := false

fixed_at(tests, s, q) if {
	q + count(tests) <= count(s)
	every t, test in tests {
		passes(test, s[q + t])
	}
}

passes(test, x) if {
	test.kind == "char"
	x == test.char
}

passes(test, x) if {
	test.kind == "not_slash"
	x != "/"
}

passes(test, x) if {
	test.kind == "list"
	member := x in test.chars
	member != test.negated
}

passes(test, x) if {
	test.kind == "range"
	in_range(test, x) != test.negated
}

in_range(test, x) if {
	test.lo <= x
	x <= test.hi
} else := false
