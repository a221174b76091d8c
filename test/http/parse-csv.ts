// A strict RFC 4180 reader for checking exports (quoted cells, doubled quotes, CRLF rows).
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell === "") {
      quoted = true;
      i++;
    } else if (ch === ",") {
      row.push(cell);
      cell = "";
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i += 2;
    } else if (ch === '"' || ch === "\n" || ch === "\r") {
      throw new Error(`malformed CSV at offset ${i}`);
    } else {
      cell += ch;
      i++;
    }
  }
  if (quoted) throw new Error("malformed CSV: unterminated quoted cell");
  if (cell !== "" || row.length > 0) throw new Error("malformed CSV: last row does not end with CRLF");
  return rows;
}
