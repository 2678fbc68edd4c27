/**
 * Headless Chromium for end-to-end tests: Debian's `chromium` (never a downloaded browser),
 * driven by `playwright-core`. The flags keep it off the network, which this machine does not
 * have, and out of the sandbox that root cannot use.
 *
 *   const browser = await launchBrowser();
 *   const page = await browser.newPage();
 *   await page.goto(url);
 *   await saveScreenshot(page, 'sign-in');   // test-results/sign-in.png (not committed)
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KONTOR_CHROMIUM ?? '/usr/bin/chromium';
const RESULTS_DIR = fileURLToPath(new URL('../../../test-results', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
