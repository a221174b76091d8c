import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { csvCell, startedRows, writeRows } from "../../src/http/audit-export.js";

describe("csvCell", () => {
  const cases: [string, unknown, string][] = [
    ["leaves plain text as it is", "acme/shop", "acme/shop"],
    ["writes null as an empty cell", null, ""],
    ["writes numbers as digits", 42, "42"],
    ["quotes a cell with a comma", "a,b", '"a,b"'],
    ["doubles quotes inside a quoted cell", 'say "hi"', '"say ""hi"""'],
    ["quotes a cell with a line break", "line1\nline2", '"line1\nline2"'],
    ["writes objects as JSON text", { a: [1, "x"] }, '"{""a"":[1,""x""]}"'],
    ["defuses a leading =", "=cmd|'/c calc'!A1", "'=cmd|'/c calc'!A1"],
    ["defuses a leading +", "+1+1", "'+1+1"],
    ["defuses a leading -", "-2+3", "'-2+3"],
    ["defuses a leading @", "@SUM(A1)", "'@SUM(A1)"],
    ["defuses a leading tab", "\t=1", "'\t=1"],
    ["defuses and quotes a formula with a comma", '=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'],
  ];
  it.each(cases)("%s", (_label, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });
});

/** A client that reads slowly: one write at a time, each taking a few milliseconds. */
function slowClient(received: string[]): Writable {
  return new Writable({
    highWaterMark: 64,
    write(chunk, _encoding, done) {
      received.push(String(chunk));
      setTimeout(done, 1);
    },
  });
}

async function* counted(total: number, pulled: { n: number }, finished: { done: boolean }) {
  try {
    for (let i = 0; i < total; i++) {
      pulled.n++;
      yield `row-${i}-${"x".repeat(40)}\n`;
    }
  } finally {
    finished.done = true;
  }
}

describe("writeRows", () => {
  it("pulls rows no faster than a slow client takes them", async () => {
    const received: string[] = [];
    const pulled = { n: 0 };
    let furthestAhead = 0;
    const out = slowClient(received);
    out.on("drain", () => undefined);
    const rows = counted(300, pulled, { done: false });
    const watch = setInterval(() => (furthestAhead = Math.max(furthestAhead, pulled.n - received.length)), 0);
    const complete = await writeRows(rows, out, (row) => row);
    clearInterval(watch);
    await new Promise<void>((resolve) => out.end(resolve));
    expect(complete).toBe(true);
    expect(received).toHaveLength(300);
    // Unbounded writing would run ~300 rows ahead; backpressure keeps it to a handful.
    expect(furthestAhead).toBeLessThan(10);
  });

  it("stops reading rows, and ends the row source, once the client has gone", async () => {
    const received: string[] = [];
    const pulled = { n: 0 };
    const finished = { done: false };
    const out = slowClient(received);
    setTimeout(() => out.destroy(), 20);
    const complete = await writeRows(counted(100_000, pulled, finished), out, (row) => row);
    expect(complete).toBe(false);
    expect(pulled.n).toBeLessThan(1_000);
    expect(finished.done).toBe(true);
  });
});

describe("startedRows", () => {
  it("surfaces a failure to read the first row before anything is written", async () => {
    // biome-ignore lint/correctness/useYield: a stream that fails before its first row
    async function* failing(): AsyncGenerator<string> {
      throw new Error("store down");
    }
    await expect(startedRows(failing())).rejects.toThrow("store down");
  });

  it("yields the first row and then the rest, in order", async () => {
    async function* three() {
      yield* ["a", "b", "c"];
    }
    const seen: string[] = [];
    for await (const row of await startedRows(three())) seen.push(row);
    expect(seen).toEqual(["a", "b", "c"]);
  });

  it("ends the underlying source when the reader stops early", async () => {
    const finished = { done: false };
    const rows = await startedRows(counted(10, { n: 0 }, finished));
    for await (const _row of rows) break;
    expect(finished.done).toBe(true);
  });
});
