/** Readers: parquet by row group with lazy image cells, JSON/JSONL/CSV with positioned errors, lazy zip members, MIME sniffing. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from '../../../action/src/core/data/csv.js';
import { sniffMime, fileImage } from '../../../action/src/core/data/images.js';
import { readParquetRows } from '../../../action/src/core/data/parquet.js';
import { readJsonArray, readJsonLines, str } from '../../../action/src/core/data/records.js';
import { ZipArchive } from '../../../action/src/core/data/zip.js';
import { hfParquet, jpeg, png, tempDir, writeTree, zipBytes } from './fixtures.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('parquet', () => {
  it('reads rows across row groups in order and reads each image cell lazily and exactly', async () => {
    const dir = tempDir();
    const n = 7;
    const file = path.join(dir, 't.parquet');
    writeFileSync(file, hfParquet([
      { name: 'question', kind: 'string', data: Array.from({ length: n }, (_, i) => `q${i}`) },
      { name: 'image', kind: 'image', data: Array.from({ length: n }, (_, i) => (i === 3 ? null : { bytes: i % 2 ? png(`p${i}`) : jpeg(`j${i}`), path: `img${i}.jpg` })) },
    ], 3));
    const rows = await collect(readParquetRows(file, ['image']));
    expect(rows.map((r) => r.record.question)).toEqual(['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    expect(rows.map((r) => r.at.at)).toEqual(['row 0', 'row 1', 'row 2', 'row 3', 'row 4', 'row 5', 'row 6']);
    expect(rows[3]!.images.image).toEqual([]);
    expect('image' in rows[0]!.record).toBe(false);
    // read out of order: crossing row groups must still return the right cell
    const six = rows[6]!.images.image![0]!;
    expect(await six.read()).toEqual(jpeg('j6'));
    const one = rows[1]!.images.image![0]!;
    expect(one.name).toBe('img1.jpg');
    expect(await one.read()).toEqual(png('p1'));
    expect(one.mime).toBe('image/png');
    expect(await one.exists()).toBe(true);
  });

  it('reports a file that is not parquet', async () => {
    const dir = writeTree(tempDir(), { 'bad.parquet': 'not parquet at all' });
    await expect(collect(readParquetRows(path.join(dir, 'bad.parquet')))).rejects.toThrow(/bad\.parquet: not a readable parquet file/);
  });
});

describe('json and jsonl', () => {
  it('names the line of malformed JSONL and skips blank lines', async () => {
    const dir = writeTree(tempDir(), { 'm.jsonl': '{"a":1}\n\n{"a":2}\n{"a":\n' });
    const file = path.join(dir, 'm.jsonl');
    await expect(collect(readJsonLines(file))).rejects.toThrow(new RegExp(`m\\.jsonl:4: invalid JSON`));
    const ok = writeTree(tempDir(), { 'ok.jsonl': '{"a":1}\n\n{"a":2}\n' });
    const rows = await collect(readJsonLines(path.join(ok, 'ok.jsonl')));
    expect(rows.map((r) => r.at.at)).toEqual(['line 1', 'line 3']);
  });

  it('names line and column of a JSON syntax error, and the field of a bad record', async () => {
    const dir = writeTree(tempDir(), { 'a.json': '[\n {"q": "x"},\n {"q": }\n]', 'b.json': '[{"question": 5.5}, {"question": ""}]' });
    await expect(collect(readJsonArray(path.join(dir, 'a.json')))).rejects.toThrow(/a\.json: invalid JSON.*is not valid JSON/s);
    const rows = await collect(readJsonArray(path.join(dir, 'b.json')));
    expect(str(rows[0]!.record, 'question', rows[0]!.at)).toBe('5.5');
    expect(() => str(rows[1]!.record, 'question', rows[1]!.at)).toThrow(/b\.json \(item 1\): field 'question' is empty/);
    expect(() => str(rows[1]!.record, 'answer', rows[1]!.at)).toThrow(/field 'answer' is missing/);
  });
});

describe('csv', () => {
  it('parses quoted fields with commas and newlines and numbers data rows from 1', async () => {
    const dir = writeTree(tempDir(), { 'c.csv': '\ufeffFigure_path,Question\n"a.jpg","What, here?"\nb.jpg,"two\nlines"\n' });
    const rows = await collect(readCsvRecords(path.join(dir, 'c.csv')));
    expect(rows.map((r) => r.record)).toEqual([{ Figure_path: 'a.jpg', Question: 'What, here?' }, { Figure_path: 'b.jpg', Question: 'two\nlines' }]);
    expect(rows[1]!.at.at).toBe('row 2');
  });

  it('reports a row with the wrong number of columns', async () => {
    const dir = writeTree(tempDir(), { 'c.csv': 'a,b\n1,2\n3\n' });
    await expect(collect(readCsvRecords(path.join(dir, 'c.csv')))).rejects.toThrow(/c\.csv: malformed CSV.*on line 3/);
  });
});

describe('zip and images', () => {
  it('indexes members and inflates only the one read', async () => {
    const dir = writeTree(tempDir(), { 'imgs.zip': zipBytes({ 'imgs/a/source.jpg': jpeg('a'), 'imgs/b/source.jpg': png('b') }) });
    const zip = await ZipArchive.open(path.join(dir, 'imgs.zip'));
    expect(zip.size).toBe(2);
    expect(zip.find(['a/source.jpg', 'imgs/a/source.jpg'])).toBe('imgs/a/source.jpg');
    const img = zip.image('imgs/b/source.jpg', 'b/source.jpg');
    expect(await img.read()).toEqual(png('b'));
    expect(img.mime).toBe('image/png');
    expect(await zip.image(null, 'nope.jpg').exists()).toBe(false);
    zip.close();
  });

  it('sniffs MIME from magic bytes even when the extension lies', async () => {
    expect(sniffMime(jpeg('x'))).toBe('image/jpeg');
    expect(sniffMime(png('x'))).toBe('image/png');
    expect(sniffMime(new Uint8Array([1, 2, 3]))).toBeNull();
    const dir = writeTree(tempDir(), { 'really-png.jpg': png('z') });
    const img = fileImage(path.join(dir, 'really-png.jpg'));
    expect(img.mime).toBe('image/jpeg');
    await img.read();
    expect(img.mime).toBe('image/png');
    expect(await fileImage(path.join(dir, 'absent.jpg')).exists()).toBe(false);
  });
});

describe('json positions', () => {
  it('gives line and column when the parser reports a position', async () => {
    const dir = writeTree(tempDir(), { 'p.json': '[\n  {"q": "x"}\n  {"q": "y"}\n]' });
    await expect(collect(readJsonArray(path.join(dir, 'p.json')))).rejects.toThrow(/p\.json: invalid JSON at line 3, column 3/);
  });
});
