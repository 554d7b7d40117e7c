/** Side effects of CLI commands, passed in so tests can capture output and control the clock. */
import { readFileSync } from 'node:fs';

export interface CliDeps {
  out(text: string): void;
  err(text: string): void;
  fetch: typeof fetch;
  now(): number;
  env: Record<string, string | undefined>;
  cwd: string;
  version: string;
  /** true when stderr is a terminal (live progress bar); false in CI → periodic lines */
  isTTY: boolean;
}

export function defaultDeps(): CliDeps {
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    fetch: globalThis.fetch,
    now: () => Date.now(),
    env: process.env,
    cwd: process.cwd(),
    version: packageVersion(),
    isTTY: Boolean(process.stderr.isTTY),
  };
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}
