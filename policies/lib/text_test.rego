package lib.text_test

import data.lib.text

test_fold_lowers_the_capitals_the_wasm_build_leaves_alone if {
	text.fold("Production") == "production"
	text.fold("\u2c2f") == "\u2c5f"
	text.fold("\ud801\udd70\ua7c0") == "\ud801\udd97\ua7c1"
}

test_fold_lowers_ascii_names_and_names_with_other_characters_alike if {
	text.fold("Prod-EU_1 (Main)~") == "prod-eu_1 (main)~"
	text.fold("PROD\u2c2f") == "prod\u2c5f"
	text.fold("Tab\tName") == "tab\tname"
	text.fold("") == ""
}
