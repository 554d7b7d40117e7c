/**
 * Parquet rows, one row group at a time (hyparquet + hyparquet-compressors), so memory stays bounded by the
 * largest row group rather than the file. Image columns (Hugging Face `Image` features: a struct {bytes, path},
 * or a list of them) become lazy ImageRefs: their bytes are decoded again when read, with a one-row-group cache
 * so reading images in canonical order decodes each row group once.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { UserError } from '../errors.js';
import { lazyImage, type ImageRef } from './images.js';
import type { RawRecord, RecordAt } from './records.js';

export interface ParquetRow {
  record: RawRecord;
  at: RecordAt;
  /** image column → its images in order (empty when the cell is null) */
  images: Record<string, ImageRef[]>;
}

interface OpenParquet {
  file: string;
  buffer: AsyncBuffer;
  metadata: FileMetaData;
  columns: string[];
}

async function openParquet(file: string): Promise<OpenParquet> {
  try {
    const buffer = await asyncBufferFromFile(file);
    const metadata = await parquetMetadataAsync(buffer);
    const columns = parquetSchema(metadata).children.map((c) => c.element.name);
    return { file, buffer, metadata, columns };
  } catch (e) {
    throw new UserError(`${file}: not a readable parquet file (${(e as Error).message})`);
  }
}

/** Row ranges [start, end) of each row group. */
function rowGroupRanges(metadata: FileMetaData): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (const rg of metadata.row_groups) {
    const end = start + Number(rg.num_rows);
    ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** Reads one row group's image column with binary bytes kept as bytes. */
function readImageCells(p: OpenParquet, column: string, range: [number, number]): Promise<RawRecord[]> {
  return parquetReadObjects({ file: p.buffer, metadata: p.metadata, columns: [column], rowStart: range[0], rowEnd: range[1], compressors, utf8: false });
}

interface ImageCell { bytes?: unknown; path?: unknown }

/** The image structs in a cell: one struct, a list of structs, or null. */
function cellImages(cell: unknown): ImageCell[] {
  if (cell === null || cell === undefined) return [];
  if (Array.isArray(cell)) return cell.filter((c): c is ImageCell => c !== null && typeof c === 'object');
  if (cell instanceof Uint8Array) return [{ bytes: cell }];
  return typeof cell === 'object' ? [cell as ImageCell] : [];
}

function cellName(cell: ImageCell, fallback: string): string {
  const p = cell.path;
  if (p instanceof Uint8Array) return new TextDecoder().decode(p) || fallback;
  return typeof p === 'string' && p ? p : fallback;
}

/** Lazily decodes image cells, caching the most recently decoded row group of each column. */
class ImageCellReader {
  private cache = new Map<string, { group: number; rows: Promise<RawRecord[]> }>();
  constructor(private p: OpenParquet, private ranges: Array<[number, number]>) {}

  async bytes(column: string, group: number, row: number, index: number): Promise<Uint8Array> {
    let hit = this.cache.get(column);
    if (!hit || hit.group !== group) {
      hit = { group, rows: readImageCells(this.p, column, this.ranges[group]!) };
      this.cache.set(column, hit);
    }
    const rows = await hit.rows;
    const cell = cellImages(rows[row - this.ranges[group]![0]]?.[column])[index];
    const b = cell?.bytes;
    if (!(b instanceof Uint8Array)) throw new Error(`${this.p.file} row ${row}: column '${column}' holds no image bytes`);
    return b;
  }
}

/**
 * Yields every row in file order. `imageColumns` that are absent from the file are ignored (MedFrameQA's
 * image_5 may not exist); non-image columns are decoded as text.
 */
export async function* readParquetRows(file: string, imageColumns: string[] = []): AsyncGenerator<ParquetRow> {
  const p = await openParquet(file);
  const ranges = rowGroupRanges(p.metadata);
  const present = imageColumns.filter((c) => p.columns.includes(c));
  const textColumns = p.columns.filter((c) => !present.includes(c));
  const reader = new ImageCellReader(p, ranges);
  for (let g = 0; g < ranges.length; g++) {
    const range = ranges[g]!;
    const rows = await parquetReadObjects({ file: p.buffer, metadata: p.metadata, columns: textColumns, rowStart: range[0], rowEnd: range[1], compressors });
    // Image cells are decoded here only to learn which are null and their names; bytes are dropped right away.
    const cellsByColumn = new Map<string, RawRecord[]>();
    for (const c of present) cellsByColumn.set(c, await readImageCells(p, c, range));
    for (let i = 0; i < rows.length; i++) {
      const row = range[0] + i;
      const images: Record<string, ImageRef[]> = {};
      for (const c of present) {
        images[c] = cellImages(cellsByColumn.get(c)![i]?.[c]).map((cell, k) => {
          // capture only a flag, never the cell: the closure must not keep the bytes alive
          const hasBytes = cell.bytes instanceof Uint8Array;
          return lazyImage(cellName(cell, `${c}-row${row}-${k}`), () => reader.bytes(c, g, row, k), async () => hasBytes);
        });
      }
      yield { record: rows[i]!, at: { file, at: `row ${row}` }, images };
    }
  }
}

