# Branch names and the glob patterns that select them.
#
# Patterns are matched in plain Rego, never with glob.match or a regex builtin. In the WASM build
# glob.match leaves `(`, `)` and `$` unescaped, accepts an unclosed `{` and reads `**` and NUL
# unlike OPA; its regex engine corrupts memory once an evaluation compiles a few hundred
# expressions; and graph.reachable revisits a node once per path to it, so an automaton over a long
# name exhausts memory. The matching below uses only builtins that both engines run alike and
# dedupes every step through sets, so it costs at most a few passes over the name per `*`.
#
# The language is glob.match's with "/" as the delimiter, narrowed to one reading per pattern:
# `*` (not crossing "/"), `**` (crossing it), `?`, a class `[abc]`, `[a-z]` or `[!...]`, and one
# level of alternatives `{a,b}`; every other character stands for itself. A pattern outside it or
# over the limits below, or a name with a control character, matches nothing, so a mistake denies.
# src/policy/glob-syntax.ts refuses the same patterns, with a positioned message, when a config loads.
package lib.branches

import data.lib.branch_alternatives

matches_any(patterns, name) if {
	some pattern in patterns
	matches(pattern, name)
}

# The common patterns, a branch name, or one `*` or one run of `**` between literal text, are compared
# as strings; the character-array matcher below is kept for the others. Both read a pattern the same way (the
# differential tests in test/policy compare them with glob.match). The shapes are told apart, and
# each matched, in branch_shapes.rego.
matches(pattern, name) if {
	is_string(pattern)
	is_string(name)
	first_fits(pattern, name)
	matches_shaped(shape_of(pattern), pattern, name)
}

# Longer than any branch name GitHub shows; with the two limits after it, it bounds the work.
max_length := 255

plain_string(name) if {
	count(name) <= max_length
	plain_name(split(name, ""))
}

max_stars := 8

max_alternatives := 32

# Every reading of a pattern starts with the characters before its first glob character and ends
# with those after its last one; checking them first spares most patterns that cannot match.
literal_ends_fit(p, s) if {
	globs := [k | some k, c in p; c in {"*", "?", "[", "]", "{", "}", ","}]
	count(globs) == 0
	p == s
}

literal_ends_fit(p, s) if {
	globs := [k | some k, c in p; c in {"*", "?", "[", "]", "{", "}", ","}]
	count(globs) > 0
	prefix := array.slice(p, 0, globs[0])
	suffix := array.slice(p, globs[count(globs) - 1] + 1, count(p))
	count(s) >= count(prefix) + count(suffix)
	array.slice(s, 0, count(prefix)) == prefix
	array.slice(s, count(s) - count(suffix), count(s)) == suffix
}

plain_name(s) if {
	count(s) > 0
	not has_control(s)
}

# control(c) inlined: a call per character costs more than the test.
has_control(chars) if {
	some c in chars
	c < " "
}

has_control(chars) if "\u007f" in chars

# split(x, "") yields single characters, so below " " means U+0000 to U+001F.
control(c) if c < " "

control("\u007f")

# p: the pattern's characters.
supported(p) if {
	count(p) > 0
	count(p) <= max_length
	not has_control(p)
	not "\\" in p
	every o in opens(p, "[") {
		valid_class(class_items(class_body(p, o)))
	}
	every o in opens(p, "{") {
		valid_group(p, o)
	}
	count([i | some i, c in p; c == "*"; not p[i - 1] == "*"]) <= max_stars
	branch_alternatives.count_of(p) <= max_alternatives
}

opens(p, c) := {i | some i, x in p; x == c}

# The first `]` or `}` after position o; undefined when there is none.
close_of(p, o, c) := min({k | some k, x in p; x == c; k > o})

class_body(p, o) := array.slice(p, o + 1, close_of(p, o, "]"))

# The class without its negating `!`.
class_items(body) := array.slice(body, 1, count(body)) if {
	body[0] == "!"
} else := body

# A class holds one range or a list of plain characters.
valid_class(items) if is_range(items)

valid_class(items) if {
	count(items) > 0
	every c in items {
		class_char(c)
	}
}

is_range(items) if {
	count(items) == 3
	items[1] == "-"
	class_char(items[0])
	class_char(items[2])
	items[0] <= items[2]
}

class_char(c) if {
	not c in {"[", "]", "\\", "!", "^", "-", "{", "}", ",", "*", "?"}
	not control(c)
}

# Groups do not nest, and inside one `]` only closes a class.
valid_group(p, o) if {
	close := close_of(p, o, "}")
	inner := [k | some k, _ in p; k > o; k < close]
	not "{" in [p[k] | some k in inner]
	class_ends := {close_of(p, c, "]") | some c in opens(p, "[")}
	every k in inner {
		not stray_bracket(p, k, class_ends)
	}
}

stray_bracket(p, k, class_ends) if {
	p[k] == "]"
	not k in class_ends
}

# The branch a "refs/heads/<branch>" ref points to; undefined for tags and other refs.
branch_of(ref) := name if {
	startswith(ref, "refs/heads/")
	name := trim_prefix(ref, "refs/heads/")
	name != ""
}
