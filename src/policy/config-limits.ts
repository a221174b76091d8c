// Bounds on what a `.repol/*.yaml` file may make us do. The file comes from any
// repository that installs the app, so every cost is capped before it is paid.

/** Largest config file accepted, in bytes. Real configs are a few KiB. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/** Deepest nesting of mappings and lists. Real configs nest 5 levels. */
export const MAX_NESTING_DEPTH = 32;

/** Most alias references (`*name`) in one file. */
export const MAX_ALIASES = 100;

/** Most anchors (`&name`) in one file. */
export const MAX_ANCHORS = 100;

/** Most values (scalars, mappings, lists) the parsed file may expand to, aliases included. */
export const MAX_VALUES = 5_000;

/**
 * Most YAML tokens (indicators, scalars, comments, line breaks...) in one file. The
 * YAML library spends microseconds per token, so this bounds the parse time of a
 * hostile file well below what the size cap alone would (about 0.1 s). A typical
 * config has a few hundred tokens; 20,000 is about 3,000 values written one per line.
 */
export const MAX_YAML_TOKENS = 20_000;

/** Most errors reported for one file; the rest are summarised in one line. */
export const MAX_REPORTED_ERRORS = 50;
