# Helpers that turn values into the words of a violation message.
# Messages are built with concat/json.marshal, not sprintf: in the WASM target sprintf runs in the
# JS host, where %v renders arrays badly and %q throws.
package lib.text

# "alice, bob", or `empty` when there is nothing to list.
list(items, _) := concat(", ", items) if count(items) > 0

list(items, empty) := empty if count(items) == 0

# "1 approval" / "2 approvals"
count_of(n, singular, _) := concat(" ", [number(n), singular]) if n == 1

count_of(n, _, plural_word) := concat(" ", [number(n), plural_word]) if n != 1

# json.marshal prints integers without a fraction and keeps real fractions (format_int would floor them).
number(n) := json.marshal(n)

# The JSON type of obj[key], or "missing" when the key is absent (or obj is not an object).
type_of(obj, key) := type_name(obj[key])

type_of(obj, key) := "missing" if not has_key(obj, key)

has_key(obj, key) if {
	is_object(obj)
	_ = obj[key]
}

# "2 approvals required, 1 given (alice)"
approvals_msg(required, approvers) := concat("", [
	count_of(required, "approval", "approvals"), " required, ",
	number(count(approvers)), " given", given_suffix(approvers),
])

given_suffix(approvers) := concat("", [" (", concat(", ", approvers), ")"]) if count(approvers) > 0

given_suffix(approvers) := "" if count(approvers) == 0

# A name compared without case (GitHub environment names). The WASM build's lower() predates
# Unicode 14 and leaves the capitals below as they are while OPA lowers them, so they are lowered
# here first and both decide alike. None of them is ASCII, and most names are: those skip the
# replacement, which tries every capital in turn and dominated a deployment's evaluation.
fold(s) := lower(s) if {
	trim_left(s, ascii) == ""
} else := lower(strings.replace_n(unicode_14_capitals, s))

# Every ASCII character from the space to "~", the likeliest first: a name holding any other
# character (a control character too) takes the replacement path, which is right for any name.
ascii := "abcdefghijklmnopqrstuvwxyz-_.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ /!\"#$%&'()*+,:;<=>?@[\\]^`{|}~"

unicode_14_capitals := {
	"\u2c2f": "\u2c5f", "\ua7c0": "\ua7c1", "\ua7c7": "\ua7c8",
	"\ua7c9": "\ua7ca", "\ua7d0": "\ua7d1", "\ua7d6": "\ua7d7",
	"\ua7d8": "\ua7d9", "\ua7f5": "\ua7f6", "\ud801\udd70": "\ud801\udd97",
	"\ud801\udd71": "\ud801\udd98", "\ud801\udd72": "\ud801\udd99", "\ud801\udd73": "\ud801\udd9a",
	"\ud801\udd74": "\ud801\udd9b", "\ud801\udd75": "\ud801\udd9c", "\ud801\udd76": "\ud801\udd9d",
	"\ud801\udd77": "\ud801\udd9e", "\ud801\udd78": "\ud801\udd9f", "\ud801\udd79": "\ud801\udda0",
	"\ud801\udd7a": "\ud801\udda1", "\ud801\udd7c": "\ud801\udda3", "\ud801\udd7d": "\ud801\udda4",
	"\ud801\udd7e": "\ud801\udda5", "\ud801\udd7f": "\ud801\udda6", "\ud801\udd80": "\ud801\udda7",
	"\ud801\udd81": "\ud801\udda8", "\ud801\udd82": "\ud801\udda9", "\ud801\udd83": "\ud801\uddaa",
	"\ud801\udd84": "\ud801\uddab", "\ud801\udd85": "\ud801\uddac", "\ud801\udd86": "\ud801\uddad",
	"\ud801\udd87": "\ud801\uddae", "\ud801\udd88": "\ud801\uddaf", "\ud801\udd89": "\ud801\uddb0",
	"\ud801\udd8a": "\ud801\uddb1", "\ud801\udd8c": "\ud801\uddb3", "\ud801\udd8d": "\ud801\uddb4",
	"\ud801\udd8e": "\ud801\uddb5", "\ud801\udd8f": "\ud801\uddb6", "\ud801\udd90": "\ud801\uddb7",
	"\ud801\udd91": "\ud801\uddb8", "\ud801\udd92": "\ud801\uddb9", "\ud801\udd94": "\ud801\uddbb",
	"\ud801\udd95": "\ud801\uddbc",
}
