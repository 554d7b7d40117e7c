/** CSV records streamed with csv-parse (quoted fields, embedded commas and newlines handled by a real parser). */
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { UserError } from '../errors.js';
import type { RawRecord, RecordAt } from './records.js';

/** Yields each data row as {header: value}; positions are 1-based data rows ("row 1" = first after the header). */
export async function* readCsvRecords(file: string): AsyncGenerator<{ record: RawRecord; at: RecordAt }> {
  const parser = createReadStream(file).pipe(parse({ columns: (h: string[]) => h.map((c) => c.trim()), bom: true, skip_empty_lines: true, relax_column_count: false }));
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<RawRecord>) {
      row++;
      yield { record, at: { file, at: `row ${row}` } };
    }
  } catch (e) {
    throw new UserError(`${file}: malformed CSV (csv-parse counts physical lines from 1, header included): ${(e as Error).message}`);
  }
}
