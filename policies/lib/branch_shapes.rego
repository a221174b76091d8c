# The shape of a branch pattern (literal, one `*`, one run of `*`, or other) and the matcher for each
# (package lib.branches, with branches.rego). A pattern's shape is found once per call to matches, and
# each shape tests what tells most names apart (equality, the literal ends) before the name's
# characters are checked: most pattern and name pairs a policy compares do not match.
package lib.branches

import data.lib.branch_alternatives
import data.lib.branch_segments

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
