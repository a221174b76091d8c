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
