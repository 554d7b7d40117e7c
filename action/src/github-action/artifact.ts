/**
 * The real artifact uploader (@actions/artifact). Outside GitHub Actions (no ACTIONS_RUNTIME_TOKEN: a local run of
 * the bundle, the e2e tests) there is no artifact service, so the upload is skipped with one log line.
 */
import { DefaultArtifactClient } from '@actions/artifact';
import path from 'node:path';
import type { ArtifactUploader } from './item-report.js';

export function createArtifactUploader(env: Record<string, string | undefined>, info: (m: string) => void): ArtifactUploader {
  return async (file) => {
    if (!env.ACTIONS_RUNTIME_TOKEN) {
      info('item report: no artifact service here (ACTIONS_RUNTIME_TOKEN is not set), so it is not uploaded');
      return { id: null };
    }
    const client = new DefaultArtifactClient();
    try {
      // unzipped, so the browser opens the page straight from the run's artifact list
      const r = await client.uploadArtifact(path.basename(file), [file], path.dirname(file), { skipArchive: true, retentionDays: 0 });
      return { id: r.id ?? null };
    } catch (e) {
      info(`item report: an unzipped upload was refused (${(e as Error).message}); uploading it zipped`);
      const r = await client.uploadArtifact(path.basename(file, '.html'), [file], path.dirname(file), { retentionDays: 0 });
      return { id: r.id ?? null };
    }
  };
}
