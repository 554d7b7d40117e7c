/**
 * Dataset fingerprint: SHA-256 over, for every sample in canonical order, its id, question, options, gold answer
 * and the SHA-256 of each image's bytes (a missing image contributes the literal "missing:<name>"), followed by
 * the protocol, the prompt version and the benchmark id + version. Results are compared only when fingerprints
 * match, so any change to an item — one option, one image byte — must change it.
 *
 * Each sample is encoded as one JSON array (unambiguous: no field boundary can be forged by content), and image
 * hashes are computed a batch at a time concurrently while the outer hash is fed strictly in order.
 */
import { createHash } from 'node:crypto';
import type { Protocol } from '../../../schemas/results.js';
import type { ImageRef, Sample } from './types.js';

export interface FingerprintInput {
  benchmarkId: string;
  version: number;
  protocol: Protocol;
  promptVersion: number;
}

export interface FingerprintResult {
  fingerprint: string;
  missingImages: { sampleId: string; image: string }[];
}

const BATCH = 32;

async function imageDigest(image: ImageRef): Promise<string> {
  if (!(await image.exists())) return `missing:${image.name}`;
  return createHash('sha256').update(await image.read()).digest('hex');
}

/** Options in letter order, as [letter, text] pairs (object key order must not matter). */
function optionPairs(options: Record<string, string> | undefined): Array<[string, string]> | null {
  return options ? Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null;
}

export async function computeFingerprint(samples: readonly Sample[], input: FingerprintInput): Promise<FingerprintResult> {
  const hash = createHash('sha256');
  const missingImages: FingerprintResult['missingImages'] = [];
  for (let start = 0; start < samples.length; start += BATCH) {
    const batch = samples.slice(start, start + BATCH);
    const digests = await Promise.all(batch.map((s) => Promise.all(s.images.map(imageDigest))));
    batch.forEach((s, i) => {
      const images = digests[i]!;
      images.forEach((d, k) => {
        if (d.startsWith('missing:')) missingImages.push({ sampleId: s.id, image: s.images[k]!.name });
      });
      hash.update(JSON.stringify([s.id, s.question, optionPairs(s.options), s.answer, images]));
      hash.update('\n');
    });
  }
  hash.update(JSON.stringify(['protocol', input.protocol, input.promptVersion, input.benchmarkId, input.version]));
  return { fingerprint: hash.digest('hex'), missingImages };
}
