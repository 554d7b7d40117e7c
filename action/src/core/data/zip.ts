/**
 * Zip archives (SLAKE imgs.zip, MedXpertQA images.zip, PMC-VQA images.zip, OmniMedVQA.zip) read lazily with
 * yauzl: the central directory is indexed once, and a member is inflated only when its image is read.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { UserError } from '../errors.js';
import { lazyImage, type ImageRef } from './images.js';

export class ZipArchive {
  private constructor(readonly file: string, private zip: ZipFile, private entries: Map<string, Entry>) {}

  /** Opens the archive and indexes member names (directories skipped). */
  static async open(file: string): Promise<ZipArchive> {
    const zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err || !z ? reject(err) : resolve(z))),
    ).catch((e: Error) => {
      throw new UserError(`${file}: not a readable zip archive (${e.message})`);
    });
    const entries = new Map<string, Entry>();
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.once('end', () => resolve());
      zip.once('error', reject);
      zip.readEntry();
    });
    return new ZipArchive(file, zip, entries);
  }

  get size(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Member names, in central-directory order. */
  names(): IterableIterator<string> {
    return this.entries.keys();
  }

  /** The first of `candidates` that is a member (datasets differ in whether names carry a folder prefix). */
  find(candidates: string[]): string | null {
    return candidates.find((c) => this.entries.has(c)) ?? null;
  }

  async read(name: string): Promise<Uint8Array> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`${this.file}: no member named ${name}`);
    const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
      this.zip.openReadStream(entry, (err, s) => (err || !s ? reject(err) : resolve(s))),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }

  /** An ImageRef for a member; `name` absent from the archive yields a reference that reports missing. */
  image(name: string | null, label: string): ImageRef {
    const member = name;
    return lazyImage(
      label,
      () => (member ? this.read(member) : Promise.reject(new Error(`${this.file}: no member for image ${label}`))),
      async () => member !== null && this.entries.has(member),
    );
  }

  close(): void {
    this.zip.close();
  }
}
