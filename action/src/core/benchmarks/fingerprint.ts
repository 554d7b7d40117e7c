/**
 * Dataset fingerprint: SHA-256 over everything that decides what is asked and what is scored. For every sample in
 * canonical order: its id, question, options, gold answer, answerType, optionsInQuestion, the SHA-256 of each
 * image's bytes (a missing image contributes the literal "missing:<name>") and — when the prepared form is given —
 * what the protocol made of it: the exclusion reason, or the item's kind, choices, gold and the exact prompt text.
 * Then a trailer: protocol, prompt version, benchmark id + version, extraction id.
 *
 * Hashing the prompt text itself (not only PROMPT_VERSION) means a template or option-derivation edit changes the
 * fingerprint even if nobody bumps a version number; identical content still gives an identical fingerprint
 * (nothing machine-local — paths, order of object keys — enters the hash). Results are compared only when
 * fingerprints match.
 *
 * Each sample is encoded as one JSON array (unambiguous: no field boundary can be forged by content) and fed to the
 * hash straight away (nothing per item is kept). Image hashes are computed a batch at a time concurrently while the
 * outer hash is fed strictly in order; each file's hash is remembered (data/image-digests.ts) for the runner.
 */
import { createHash } from 'node:crypto';
import type { Protocol } from '../../../../schemas/results.js';
import type { Exclusion, PreparedItem } from '../scoring/protocol.js';
import type { ImageRef } from '../data/images.js';
import type { Sample } from './types.js';
import { fileStamp, knownDigest, rememberDigest } from '../data/image-digests.js';

export interface FingerprintInput {
  benchmarkId: string;
  version: number;
  protocol: Protocol;
  promptVersion: number;
  /** extraction id (e.g. medvlm-chain/2): a parser change changes what "correct" means */
  extraction?: string;
  /** prepared[i] is what the protocol made of samples[i] (suite.ts passes it; omitted only in unit tests) */
  prepared?: ReadonlyArray<PreparedItem | Exclusion>;
}

export interface FingerprintResult {
  fingerprint: string;
  missingImages: { sampleId: string; image: string }[];
}

const BATCH = 32;

/** A plain file already hashed (same path, unchanged stamp) is not read again: manifests reuse files. */
async function imageDigest(image: ImageRef): Promise<string> {
  const file = image.filePath;
  const stamp = typeof file === 'string' ? fileStamp(file) : null;
  const known = typeof file === 'string' ? knownDigest(file, stamp) : null;
  if (known) return known;
  if (!(await image.exists())) return `missing:${image.name}`;
  const sha256 = createHash('sha256').update(await image.read()).digest('hex');
  if (typeof file === 'string') rememberDigest(file, stamp, sha256);
  return sha256;
}

/** Options in letter order, as [letter, text] pairs (object key order must not matter). */
function optionPairs(options: Record<string, string> | null | undefined): Array<[string, string]> | null {
  return options ? Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : null;
}

/** The protocol's verdict on one sample: exclusion reason, or kind + choices + gold + prompt text. */
function preparedPart(p: PreparedItem | Exclusion | undefined): unknown[] | null {
  if (!p) return null;
  if ('reason' in p) return ['excluded', p.reason];
  return [p.kind, optionPairs(p.choices), p.gold, p.prompt];
}

export async function computeFingerprint(samples: readonly Sample[], input: FingerprintInput): Promise<FingerprintResult> {
  if (input.prepared && input.prepared.length !== samples.length) {
    throw new RangeError(`fingerprint: ${input.prepared.length} prepared entries for ${samples.length} samples`);
  }
  const hash = createHash('sha256');
  const missingImages: FingerprintResult['missingImages'] = [];
  for (let start = 0; start < samples.length; start += BATCH) {
    const end = Math.min(samples.length, start + BATCH);
    const digests: Promise<string[]>[] = [];
    for (let i = start; i < end; i++) digests.push(Promise.all(samples[i]!.images.map(imageDigest)));
    const done = await Promise.all(digests);
    for (let i = start; i < end; i++) {
      const s = samples[i]!;
      const images = done[i - start]!;
      images.forEach((d, k) => {
        if (d.startsWith('missing:')) missingImages.push({ sampleId: s.id, image: s.images[k]!.name });
      });
      hash.update(JSON.stringify([
        s.id, s.question, optionPairs(s.options), s.answer, s.answerType, s.optionsInQuestion === true, images,
        preparedPart(input.prepared?.[i]),
      ]));
      hash.update('\n');
    }
  }
  hash.update(JSON.stringify(['protocol', input.protocol, input.promptVersion, input.benchmarkId, input.version, input.extraction ?? null]));
  return { fingerprint: hash.digest('hex'), missingImages };
}
