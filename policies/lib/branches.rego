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
import data.lib.branch_segments

matches_any(patterns, name) if {
	some pattern in patterns
	matches(pattern, name)
}

# The common patterns, a branch name, or one `*` or one run of `**` between literal text, are compared
# as strings; the character-array matcher below is kept for the others. Both read a pattern the same way (the
# differential tests in test/policy compare them with glob.match). A pattern's shape is found once per
# call, and each shape checks what tells most names apart (equality, the literal ends) first.
matches(pattern, name) if {
	is_string(pattern)
	is_string(name)
	first_fits(pattern, name)
	matches_shaped(shape_of(pattern), pattern, name)
}

# Whatever its shape, a pattern starting with a plain character matches only names starting with
# that character: a test that turns most names away before the pattern's shape is worked out.
first_fits(pattern, name) if {
	startswith(name, substring(pattern, 0, 1))
} else if {
	contains("*?[]{},\\", substring(pattern, 0, 1))
}

# [kind, the text before the pattern's stars, the text after them].
shape_of(pattern) := ["other", "", ""] if {
	other_glob_char(pattern)
} else := star_shape(pattern, split(pattern, "*"))

# Without other glob characters a pattern's stars tell its shape: none, one, or one run of several.
star_shape(_, parts) := ["literal", "", ""] if count(parts) == 1

star_shape(_, parts) := ["one_star", parts[0], parts[1]] if count(parts) == 2

# A run of two or more `*` (`release/**`) crosses "/".
star_shape(pattern, parts) := ["one_star_run", parts[0], last] if {
	count(parts) > 2
	last := parts[count(parts) - 1]
	(count(parts[0]) + count(last)) + (count(parts) - 1) == count(pattern)
}

star_shape(pattern, parts) := ["other", "", ""] if {
	count(parts) > 2
	(count(parts[0]) + count(parts[count(parts) - 1])) + (count(parts) - 1) != count(pattern)
}

matches_shaped(["literal", _, _], pattern, name) if {
	pattern == name
	plain_string(name)
}

matches_shaped(["one_star", prefix, suffix], pattern, name) if {
	startswith(name, prefix)
	endswith(name, suffix)
	count(name) >= count(prefix) + count(suffix)
	not contains(substring(name, count(prefix), (count(name) - count(prefix)) - count(suffix)), "/")
	count(pattern) <= max_length
	plain_string(name)
	not has_control(split(pattern, ""))
}

matches_shaped(["one_star_run", prefix, suffix], pattern, name) if {
	startswith(name, prefix)
	endswith(name, suffix)
	count(name) >= count(prefix) + count(suffix)
	count(pattern) <= max_length
	plain_string(name)
	not has_control(split(pattern, ""))
}

matches_shaped(["other", _, _], pattern, name) if {
	p := split(pattern, "")
	s := split(name, "")
	count(s) <= max_length
	plain_name(s)
	supported(p)
	literal_ends_fit(p, s)
	some alternative in branch_alternatives.alternatives(p)
	branch_segments.matches(alternative, s)
}

# Longer than any branch name GitHub shows; with the two limits after it, it bounds the work.
max_length := 255

# Whether text holds a character with a meaning in a pattern other than `*`, or the backslash a
# pattern may not hold; one test per character, stopping at the first found.
other_glob_char(text) if {
	contains(text, "?")
} else if {
	contains(text, "[")
} else if {
	contains(text, "]")
} else if {
	contains(text, "{")
} else if {
	contains(text, "}")
} else if {
	contains(text, ",")
} else if {
	contains(text, "\\")
}

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
