import { invalid } from "../../domain/errors.ts";

export type Separator = ";" | "," | "\t";

/** ";", "," or a tab, whichever the heading line uses most outside quotes. */
export function detectSeparator(text: string): Separator {
  const counts: Record<string, number> = { ";": 0, ",": 0, "\t": 0, "|": 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && char in counts) counts[char]++;
  }
  const best = (Object.keys(counts) as (Separator | "|")[])
    .reduce((a, b) => counts[b] > counts[a] ? b : a, ";");
  if (best === "|") {
    throw invalid("Le séparateur « | » n'est pas pris en charge : "
      + "enregistrez le fichier avec des points-virgules, des virgules ou "
      + "des tabulations.");
  }

  return best;
}

export interface CsvRecord { line: number; cells: string[] }

/**
 * Cells of each record, with the line where it starts. Quotes work as in
 * spreadsheets; a quote inside an unquoted cell is kept as is. A quote
 * opened and never closed would swallow the rest of the file: its line is
 * reported and reading resumes on the next line.
 */
export function readRecords(text: string, delimiter: string) {
  const input = text.replace(/\r\n?/g, "\n");
  const records: CsvRecord[] = [];
  const unclosed: number[] = [];
  let i = 0;
  let line = 1;
  while (i < input.length) {
    const start = line;
    const cells: string[] = [];
    let broken = false;
    for (;;) {
      let cell = "";
      if (input[i] === '"') {
        const quoteLine = line;
        const quoteAt = i;
        let j = i + 1;
        for (;;) {
          if (j >= input.length) { broken = true; break; }
          const char = input[j];
          if (char === '"') {
            if (input[j + 1] === '"') { cell += '"'; j += 2; continue; }
            j++;
            break;
          }
          if (char === "\n") line++;
          cell += char;
          j++;
        }
        if (broken) {
          unclosed.push(quoteLine);
          const end = input.indexOf("\n", quoteAt);
          i = end === -1 ? input.length : end + 1;
          line = quoteLine + 1;
          break;
        }
        // Text after the closing quote belongs to the cell, as Excel reads.
        while (j < input.length && input[j] !== delimiter
          && input[j] !== "\n") cell += input[j++];
        i = j;
      } else {
        let j = i;
        while (j < input.length && input[j] !== delimiter
          && input[j] !== "\n") j++;
        cell = input.slice(i, j);
        i = j;
      }
      cells.push(cell);
      if (input[i] === delimiter) { i++; continue; }
      if (input[i] === "\n") { i++; line++; }
      break;
    }
    if (broken) continue;
    if (cells.length === 1 && cells[0] === "") continue;
    records.push({ line: start, cells });
  }

  return { records, unclosed };
}
