/**
 * Hugging Face Hub downloads (@huggingface/hub) into the standard cache layout
 * (`<HF_HUB_CACHE | HF_HOME/hub | ~/.cache/huggingface/hub>/datasets--owner--name/snapshots/<revision>/…`), so
 * files fetched by Python's `datasets`/`huggingface_hub` are reused and vice versa. Honours HF_TOKEN and
 * HF_ENDPOINT (mirrors). A pinned commit already in the cache needs no network at all.
 */
import { downloadFileToCacheDir, listFiles } from '@huggingface/hub';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { globFiles, matchesPattern } from './local.js';

export const HF_DEFAULT_ENDPOINT = 'https://huggingface.co';

export interface HfSettings {
  endpoint: string;
  token?: string;
  cacheDir: string;
  fetch?: typeof fetch;
}

export interface HfFiles {
  repo: string;
  revision: string;
  /** file names or patterns with `*` in the last segment */
  files: string[];
}

/** Settings from explicit options, then the environment (HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE, HF_HOME). */
export function hfSettings(opts: Partial<HfSettings> = {}, env: Record<string, string | undefined> = process.env): HfSettings {
  const home = env.HF_HOME ?? path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'huggingface');
  return {
    endpoint: (opts.endpoint ?? env.HF_ENDPOINT ?? HF_DEFAULT_ENDPOINT).replace(/\/+$/, ''),
    token: opts.token ?? env.HF_TOKEN ?? env.HUGGING_FACE_HUB_TOKEN,
    cacheDir: opts.cacheDir ?? env.HF_HUB_CACHE ?? path.join(home, 'hub'),
    fetch: opts.fetch,
  };
}

/** The snapshot folder of a dataset revision in the cache. */
export function snapshotDir(settings: HfSettings, repo: string, revision: string): string {
  return path.join(settings.cacheDir, `datasets--${repo.split('/').join('--')}`, 'snapshots', revision);
}

/** Turns a Hub failure into an error that says what to do. */
function explain(e: unknown, src: HfFiles, what: string, s: HfSettings): UserError {
  const status = (e as { statusCode?: number }).statusCode;
  const where = `dataset ${src.repo} at revision ${src.revision} on ${s.endpoint}`;
  if (status === 401 || status === 403) {
    return new UserError(`${what}: access denied (${status}) for ${where}. Set HF_TOKEN to a token that can read it` +
      ` (gated datasets also need their terms accepted at ${s.endpoint}/datasets/${src.repo}), or pass --data-dir with a local copy.`);
  }
  // paths-info answers [] for a file absent at that revision; the library reports it as "cannot get path info"
  if (status === 404 || /cannot get path info/.test(String((e as Error)?.message))) {
    return new UserError(`${what}: not found (${status ?? 404}) in ${where}. Check the dataset id and revision (a mirror set via` +
      ` HF_ENDPOINT must carry this revision), or pass --data-dir with a local copy.`);
  }
  const msg = (e as Error).message ?? String(e);
  return new UserError(`${what}: download from ${where} failed: ${msg}. For offline or air-gapped machines pass --data-dir.`);
}

async function resolvePatterns(src: HfFiles, s: HfSettings): Promise<string[]> {
  const cached = snapshotDir(s, src.repo, src.revision);
  const names: string[] = [];
  const listing: string[] = [];
  for (const pattern of src.files) {
    if (!pattern.includes('*')) {
      names.push(pattern);
      continue;
    }
    const local = globFiles(cached, pattern).map((f) => path.relative(cached, f).split(path.sep).join('/'));
    if (local.length) {
      names.push(...local);
      continue;
    }
    if (!listing.length) {
      try {
        const dirs = [...new Set(src.files.filter((f) => f.includes('*')).map((f) => path.posix.dirname(f)))];
        for (const dir of dirs) {
          for await (const f of listFiles({ repo: { type: 'dataset', name: src.repo }, revision: src.revision, path: dir === '.' ? undefined : dir, hubUrl: s.endpoint, accessToken: s.token, fetch: s.fetch })) {
            if (f.type === 'file') listing.push(f.path);
          }
        }
      } catch (e) {
        throw explain(e, src, `listing files of ${src.repo}`, s);
      }
    }
    const hits = listing.filter((f) => matchesPattern(f, pattern)).sort();
    if (!hits.length) throw new UserError(`${src.repo}@${src.revision}: no file matches ${pattern} on ${s.endpoint}`);
    names.push(...hits);
  }
  return names;
}

const COMMIT = /^[0-9a-f]{40}$/;

/**
 * A branch or tag becomes its commit (from `refs/<name>` in the cache, else the Hub API, then recorded in
 * `refs/` as huggingface_hub does), so every file of one load lands in one snapshot folder.
 */
async function resolveCommit(src: HfFiles, s: HfSettings): Promise<string> {
  if (COMMIT.test(src.revision)) return src.revision;
  const refFile = path.join(s.cacheDir, `datasets--${src.repo.split('/').join('--')}`, 'refs', src.revision);
  if (existsSync(refFile)) return readFileSync(refFile, 'utf8').trim();
  const url = `${s.endpoint}/api/datasets/${src.repo}/revision/${encodeURIComponent(src.revision)}`;
  let sha: unknown;
  try {
    const res = await (s.fetch ?? fetch)(url, { headers: s.token ? { Authorization: `Bearer ${s.token}` } : {} });
    if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { statusCode: res.status });
    sha = ((await res.json()) as { sha?: unknown }).sha;
  } catch (e) {
    throw explain(e, src, `resolving revision ${src.revision}`, s);
  }
  if (typeof sha !== 'string' || !COMMIT.test(sha)) throw new UserError(`${url}: response has no commit sha`);
  mkdirSync(path.dirname(refFile), { recursive: true });
  writeFileAtomic(refFile, sha);
  return sha;
}

/**
 * Ensures the files are in the cache and returns the snapshot folder holding them (paths inside it are the
 * repository paths, so the benchmark reads it like a local HF-snapshot folder).
 */
export async function fetchHfFiles(requested: HfFiles, settings: HfSettings, log?: (m: string) => void): Promise<string> {
  const src = { ...requested, revision: await resolveCommit(requested, settings) };
  const names = await resolvePatterns(src, settings);
  for (const name of names) {
    log?.(`hf: ${src.repo}@${src.revision.slice(0, 12)} ${name}`);
    try {
      await downloadFileToCacheDir({
        repo: { type: 'dataset', name: src.repo }, path: name, revision: src.revision,
        hubUrl: settings.endpoint, accessToken: settings.token, cacheDir: settings.cacheDir, fetch: settings.fetch,
      });
    } catch (e) {
      throw explain(e, src, `downloading ${name}`, settings);
    }
  }
  return snapshotDir(settings, src.repo, src.revision);
}
