# The brace-free patterns a supported branch pattern stands for: `release/{a,b}-*` is
# `release/a-*` or `release/b-*`. Groups do not nest, so expanding them is one product.
package lib.branch_alternatives

import data.lib.branches

# p: the pattern's characters. Each alternative is an array of characters too, with "" where a
# group began or ended: `*{*,x}` is `*` then `*`, never the `**` that crosses "/".
alternatives(p) := [a |
	some x in numbers.range(0, count_of(p) - 1)
	a := [c | some part in parts(p, groups, sizes, x); some c in array.concat(part, [""])]
] if {
	groups := groups_of(p)
	sizes := [count(choices(p, g)) | some g in groups]
}

count_of(p) := product([count(choices(p, g)) | some g in groups_of(p)])

# [open, close] of each group, in pattern order.
groups_of(p) := [[o, branches.close_of(p, o, "}")] | some o in sort(branches.opens(p, "{"))]

# The characters outside the groups, with the x-th combination of choices in between; x is read
# as a number whose digits (one per group, in the group's own base) pick each choice.
parts(p, groups, sizes, x) := array.concat([array.slice(p, 0, first)], [part |
	some m, g in groups
	digit := floor(x / product(array.slice(sizes, 0, m))) % sizes[m]
	some part in [choices(p, g)[digit], array.slice(p, g[1] + 1, next_open(p, groups, m))]
]) if {
	first := min(array.concat([g[0] | some g in groups], [count(p)]))
}

next_open(_, groups, m) := groups[m + 1][0] if m + 1 < count(groups)

next_open(p, groups, m) := count(p) if m + 1 == count(groups)

# Inside a group every `,` separates choices: classes hold no commas and groups do not nest.
choices(p, [o, close]) := [array.slice(p, bounds[t] + 1, bounds[t + 1]) | some t in numbers.range(0, count(bounds) - 2)] if {
	commas := sort({k | some k, c in p; c == ","; k > o; k < close})
	bounds := array.concat(array.concat([o], commas), [close])
}
