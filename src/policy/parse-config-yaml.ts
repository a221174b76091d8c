import { CST, Composer, Lexer, LineCounter, Parser, type Document } from "yaml";
import { MAX_ANCHORS, MAX_NESTING_DEPTH, MAX_REPORTED_ERRORS, MAX_YAML_TOKENS } from "./config-limits.js";
import type { ConfigError } from "./decision.js";

export type ParsedYaml = { ok: true; doc: Document.Parsed; lineCounter: LineCounter } | { ok: false; errors: ConfigError[] };

// YAML 1.2 core schema whatever the file's %YAML directive says: no `yes`/`no`
// booleans, no merge keys, no !!binary and friends.
const composerOptions = {
  schema: "core",
  merge: false,
  resolveKnownTags: false,
  // checkYamlStructure reports duplicate keys by name, including `1` and `"1"`, which yaml sees as different.
  uniqueKeys: false,
  strict: true,
  prettyErrors: false,
  logLevel: "silent",
} as const;

/** Parses one YAML document with positions, refusing input that would be costly before building it. */
export function parseConfigYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const at = (offset: number, message: string): ConfigError => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line: Math.max(line, 1), column: Math.max(col, 1), path: "", message };
  };

  const tokens = tokenizeWithinLimits(text, lineCounter);
  if ("refusedAt" in tokens) return { ok: false, errors: [at(tokens.refusedAt, tokens.message)] };

  const docs = [...new Composer(composerOptions).compose(tokens.tokens, true, text.length)];
  const problems = docs.flatMap((doc) => [...doc.errors, ...doc.warnings]);
  if (problems.length > 0) {
    const errors = problems.slice(0, MAX_REPORTED_ERRORS).map((p) => at(p.pos[0], yamlProblemMessage(p.code, p.message)));
    return { ok: false, errors };
  }
  if (docs.length > 1) {
    const message = "a config file must hold a single YAML document; remove the `---` separator and what follows it";
    return { ok: false, errors: [at(docs[1].range[0], message)] };
  }
  return { ok: true, doc: docs[0], lineCounter };
}

type Tokenized = { tokens: CST.Token[] } | { refusedAt: number; message: string };

// The YAML library costs microseconds per token, slows down on deep nesting and
// overflows the stack on `[[[[...` or `- - - -...`; each YAMLError it creates also
// captures a stack trace. So the token stream is checked as it is produced and
// refused at the first sign of abuse, before any tree is built. Nesting through
// indentation needs a longer line per level, which the size cap bounds.
function tokenizeWithinLimits(text: string, lineCounter: LineCounter): Tokenized {
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  let count = 0;
  let anchors = 0;
  let flowDepth = 0;
  let indicatorsOnLine = 0;
  let nextIsScalarSource = false;
  for (const lexeme of new Lexer().lex(text)) {
    const type: string | null = nextIsScalarSource ? "scalar-source" : CST.tokenType(lexeme);
    nextIsScalarSource = type === "scalar";
    const refuse = (message: string): Tokenized => ({ refusedAt: parser.offset, message });
    // The lexer's in-band markers (a scalar follows, document mode) are not tokens of the file.
    if (type !== "scalar" && type !== "doc-mode" && ++count > MAX_YAML_TOKENS)
      return refuse(`file has more than ${MAX_YAML_TOKENS.toLocaleString("en-US")} YAML tokens; a repol config needs far fewer`);
    if (type === "tag") return refuse(unsupportedTagMessage(lexeme));
    if (type === "anchor" && ++anchors > MAX_ANCHORS) return refuse(`too many anchors: at most ${MAX_ANCHORS} \`&anchor\` definitions are allowed`);
    if (type === "flow-seq-start" || type === "flow-map-start") flowDepth++;
    else if (type === "flow-seq-end" || type === "flow-map-end") flowDepth = Math.max(0, flowDepth - 1);
    else if (type === "newline") indicatorsOnLine = 0;
    else if ((type === "seq-item-ind" || type === "explicit-key-ind") && flowDepth === 0) indicatorsOnLine++;
    if (flowDepth + indicatorsOnLine > MAX_NESTING_DEPTH) return refuse(`nesting is deeper than ${MAX_NESTING_DEPTH} levels`);
    for (const token of parser.next(lexeme)) tokens.push(token);
  }
  for (const token of parser.end()) tokens.push(token);
  return { tokens };
}

function yamlProblemMessage(code: string, message: string): string {
  if (code === "TAB_AS_INDENT") return "invalid YAML: tabs are not allowed for indentation; indent with spaces";
  return `invalid YAML: ${message.length > 200 ? `${message.slice(0, 197)}...` : message}`;
}

function unsupportedTagMessage(tag: string): string {
  const shown = tag.length > 40 ? `${tag.slice(0, 37)}...` : tag;
  return `YAML tags like \`${shown}\` are not allowed in repol config; write a plain value`;
}
