package lib.branches_test

import data.lib.branches

# Each pattern against names it must and must not match, as OPA's glob.match reads them.
cases := [
	{"pattern": "main", "match": ["main"], "miss": ["mainx", "Main", "main/x"]},
	{"pattern": "release/*", "match": ["release/1.2", "release/"], "miss": ["release/1/2", "release"]},
	{"pattern": "release/**", "match": ["release/1/2", "release/"], "miss": ["releases/1"]},
	{"pattern": "**/*-v1", "match": ["a/b/c-v1", "/x-v1"], "miss": ["c-v1", "a/b-v2"]},
	{"pattern": "v?.?", "match": ["v1.2", "vé.3"], "miss": ["v1/2", "v/.2", "v12.3"]},
	{"pattern": "[a-c]*", "match": ["a", "cx"], "miss": ["d", "/"]},
	{"pattern": "[!a]x", "match": ["bx", "/x"], "miss": ["ax"]},
	{"pattern": "[ab]", "match": ["a", "b"], "miss": ["c", "ab"]},
	{"pattern": "{main,release/*}", "match": ["main", "release/2"], "miss": ["release/2/3", "mainrelease/2"]},
	{"pattern": "{a,b}-{c,d}*", "match": ["a-c", "b-dx"], "miss": ["a-e", "c-a"]},
	{"pattern": "x{,y}", "match": ["x", "xy"], "miss": ["y"]},
	{"pattern": "*{*,x}", "match": ["ab", "a"], "miss": ["a/b"]},
	{"pattern": "{**,x}", "match": ["a/b", "x"], "miss": []},
	# Regex syntax is literal text: the WASM glob.match read these as regular expressions.
	{"pattern": "fix(ui)", "match": ["fix(ui)"], "miss": ["fixui", "fix"]},
	{"pattern": "feature/(*)", "match": ["feature/(x)", "feature/()"], "miss": ["feature/x"]},
	{"pattern": "a.b|c$", "match": ["a.b|c$"], "miss": ["axb", "c", "a.b"]},
	{"pattern": "a+^", "match": ["a+^"], "miss": ["aa^"]},
	# A pattern's first character turns names away before its shape is worked out, unless it is a glob character.
	{"pattern": "?ain", "match": ["main", "rain"], "miss": ["/ain", "mai"]},
	{"pattern": "é*", "match": ["été", "é"], "miss": ["ete", "e"]},
	{"pattern": "]x*", "match": ["]x", "]xy"], "miss": ["x", "]"]},
	{"pattern": ",a", "match": [",a"], "miss": ["a"]},
	# Outside braces `}`, `]` and `,` stand for themselves.
	{"pattern": "a}", "match": ["a}"], "miss": ["a"]},
	{"pattern": "a,b]", "match": ["a,b]"], "miss": ["a", "b]"]},
	# Patterns outside the supported language match nothing (the loader refuses them).
	{"pattern": "{main", "match": [], "miss": ["main", "{main"]},
	{"pattern": "{a,{b,c}}", "match": [], "miss": ["a", "b"]},
	{"pattern": "[-a]", "match": [], "miss": ["-", "a"]},
	{"pattern": "a\\*", "match": [], "miss": ["a*", "a\\*"]},
	{"pattern": "ma\u0000in", "match": [], "miss": ["ma\u0000in", "ma"]},
	{"pattern": "*/*/*/*/*/*/*/*/*", "match": [], "miss": ["a/b/c/d/e/f/g/h/i"]},
	# A name or one `*` between literal text, the patterns compared as strings.
	{"pattern": "*", "match": ["main", "x"], "miss": ["a/b", "", "/"]},
	{"pattern": "*-hotfix", "match": ["-hotfix", "v1-hotfix"], "miss": ["a/v1-hotfix", "hotfix"]},
	{"pattern": "release/*/x", "match": ["release//x", "release/1/x"], "miss": ["release/1/2/x", "release/x"]},
	{"pattern": "ré*é", "match": ["réé", "réxé"], "miss": ["ré", "ré/é"]},
	{"pattern": "feature/**", "match": ["feature/a/b", "feature/"], "miss": ["feature", "features/a", "feature/a\u0001"]},
	{"pattern": "**-rc", "match": ["a/b-rc", "-rc"], "miss": ["a/b-rc2", "rc"]},
	{"pattern": "a/***/b", "match": ["a//b", "a/x/y/b"], "miss": ["a/b", "ab"]},
	{"pattern": "a**b*", "match": ["a/xb", "a/bc"], "miss": ["ab/", "a/b/c", "ac"]},
	{"pattern": "a*\u0001", "match": [], "miss": ["ab\u0001", "a\u0001"]},
	{"pattern": "main\u0000", "match": [], "miss": ["main\u0000", "main"]},
	# Names no branch has match no pattern.
	{"pattern": "**", "match": ["a/b"], "miss": ["", "a\nb", "a\u0000", "a\u007f"]},
]

test_patterns_match_as_glob_match_reads_them if {
	every c in cases {
		every name in c.match {
			branches.matches(c.pattern, name)
		}
		every name in c.miss {
			not branches.matches(c.pattern, name)
		}
	}
}

test_non_strings_match_nothing if {
	not branches.matches(1, "main")
	not branches.matches("main", null)
	not branches.matches_any(["main", 2], ["main"])
}

test_a_name_over_255_characters_matches_nothing if {
	long := concat("", [x | some _ in numbers.range(1, 256); x := "a"])
	not branches.matches("**", long)
	branches.matches("**", substring(long, 0, 255))
	not branches.matches(long, long)
	branches.matches(substring(long, 0, 255), substring(long, 0, 255))
	not branches.matches(concat("", [long, "*"]), concat("", [long, "b"]))
	branches.matches(concat("", [substring(long, 0, 254), "*"]), substring(long, 0, 255))
	not branches.matches(concat("", [substring(long, 0, 254), "*"]), concat("", [long, "b"]))
}

test_branch_of_reads_only_branch_refs if {
	branches.branch_of("refs/heads/release/1") == "release/1"
	not branches.branch_of("refs/tags/v1")
	not branches.branch_of("refs/heads/")
	not branches.branch_of("main")
}
