/**
 * A small custom-benchmark manifest on disk for tests against server emulators: two-option questions (gold A), one
 * image each, in the formats real datasets ship (PNG, JPEG, WebP, TIFF, GIF; optionally a DICOM file). Images are
 * made with sharp, so each is a real, decodable file of its format.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export type Format = 'png' | 'jpeg' | 'webp' | 'tiff' | 'gif' | 'dicom';

export interface Manifest {
  dir: string;
  manifest: string;
  out: string;
  /** item id → its image file */
  images: Map<string, string>;
}

/** 8×8 image of one colour in `format`; `shade` makes images differ (so hashes differ). */
export async function imageBytes(format: Format, shade: number): Promise<Buffer> {
  if (format === 'dicom') {
    // Part 10 file: 128-byte preamble, "DICM", then data elements (content irrelevant: servers never get this far)
    return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.from([2, 0, 0, 0, 0x55, 0x4c, 4, 0, 0, 0, 0, 0])]);
  }
  const img = sharp({ create: { width: 8, height: 8, channels: 3, background: { r: shade & 255, g: 64, b: 128 } } });
  return img.toFormat(format).toBuffer();
}

/** `n` items cycling through `formats`; files named by format so a test can see which is which. */
export async function writeManifest(n: number, formats: Format[] = ['png'], prefix = 'medvlm-servers-'): Promise<Manifest> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  mkdirSync(path.join(dir, 'img'));
  const images = new Map<string, string>();
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const format = formats[i % formats.length]!;
    const ext = format === 'jpeg' ? 'jpg' : format === 'dicom' ? 'dcm' : format;
    const rel = `img/q${i}.${ext}`;
    writeFileSync(path.join(dir, rel), await imageBytes(format, i * 7));
    images.set(`q${i}`, path.join(dir, rel));
    lines.push(JSON.stringify({ id: `q${i}`, question: `Is finding ${i} present?`, options: { A: 'yes', B: 'no' }, answer: 'A', images: [rel] }));
  }
  const manifest = path.join(dir, 'manifest.jsonl');
  writeFileSync(manifest, `${lines.join('\n')}\n`);
  return { dir, manifest, out: path.join(dir, 'out'), images };
}

/** The emulator started as a command, as `--serve` would start a real server. */
export function emulatorCommand(name: string, port: number, extra = ''): string {
  return `node bin/run-ts.mjs tests/helpers/servers/cli.ts ${name} --port ${port}${extra ? ` ${extra}` : ''}`;
}
