/**
 * Headless Chromium for page tests and bench/ (the Debian package; MEDVLM_CHROMIUM overrides the path). Offline
 * flags: no background networking, updates, sync or QUIC, so a page test sees only the requests the page makes.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.MEDVLM_CHROMIUM ?? '/usr/bin/chromium';

/** Whether Chromium is installed; when not, says which test file skips and how to install it. */
export function chromiumFor(testFile: string): boolean {
  const found = existsSync(CHROMIUM);
  if (!found) console.warn(`${testFile} skipped: no Chromium at ${CHROMIUM} (apt install chromium)`);
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
