/**
 * `npm run bench:web`: the web app's numbers of issue 7, measured in headless Chromium against a
 * Kontor as `npm start` runs it (embedded PostgreSQL with default settings, fsync on, in a fresh
 * data directory; the built web app from modeler/dist):
 * - `firstLoadMs`: the app's first load on localhost until interactive — navigation start until
 *   the sign-in form is rendered by the app's JavaScript with its inputs and button enabled;
 *   median of 5 cold loads, each in a new browser context (empty cache). Target < 1.5 s.
 * - `tasklistPageMs`: a filtered page of the tasklist with 10,000 open tasks (`benchTasklist()`,
 *   bench/web/tasklist.ts). Target < 200 ms.
 * - `instancePageMs`: the instance page of an instance with 5,000 records
 *   (`benchInstancePage()`, bench/web/instance-page.ts). Target < 1 s.
 * Prints a table, then as the last line `{"firstLoadMs", "tasklistPageMs", "instancePageMs"}`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../../engine/src/config/config.js';
import { startKontor } from '../../engine/src/kontor.js';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { launchBrowser } from '../../engine/src/testing/browser.js';
import { freePort } from '../../engine/src/testing/free-port.js';
import { percentile, printFigures, printTable, round } from '../support/report.js';
import { benchInstancePage } from './instance-page.js';
import { benchTasklist } from './tasklist.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const modeler = path.join(root, 'modeler');
const COLD_LOADS = 5;

/** Newest modification time (ms) of the files below `target`, 0 if there are none. */
function newest(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of fs.readdirSync(target)) {
    latest = Math.max(latest, newest(path.join(target, entry)));
  }
  return latest;
}

/** Builds the web app as scripts/build.mjs does, when modeler/dist is missing or out of date. */
function ensureWebAppBuilt(): void {
  const sources = Math.max(
    ...['src', 'index.html', 'vite.config.ts', 'package.json'].map((f) =>
      newest(path.join(modeler, f)),
    ),
  );
  if (sources <= newest(path.join(modeler, 'dist', 'index.html'))) return;
  const result = spawnSync(
    path.join(root, 'node_modules', '.bin', 'vite'),
    ['build', '--logLevel', 'warn'],
    { cwd: modeler, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('vite build of the web app failed');
}

interface FirstLoadFigures {
  /** median of navigation start → sign-in form usable, ms */
  readonly firstLoadMs: number;
  readonly slowestLoadMs: number;
  /** medians from the navigation and paint entries, ms */
  readonly firstContentfulPaintMs: number;
  readonly domContentLoadedMs: number;
  readonly loadEventMs: number;
  /** bytes transferred by one cold load */
  readonly transferredKb: number;
}

interface LoadSample {
  interactive: number;
  fcp: number;
  domContentLoaded: number;
  loadEvent: number;
  transferred: number;
}

/**
 * Runs in the page before any of its scripts: records, on the clock of the navigation
 * (`performance.now()` counts from the navigation's time origin), when the sign-in form is first
 * in the DOM with its inputs and its button enabled. (Page code is text: this project's
 * TypeScript has no DOM types outside modeler/.)
 */
const WATCH_SIGN_IN_FORM = `(() => {
  const usable = () => {
    const form = document.querySelector('form[aria-label="Sign in"]');
    if (!form) return false;
    const controls = form.querySelectorAll(
      'input[name="username"], input[name="password"], button[type="submit"]',
    );
    return controls.length === 3 && [...controls].every((c) => !c.disabled);
  };
  const observer = new MutationObserver(() => {
    if (window.__signInReadyAt === undefined && usable()) {
      window.__signInReadyAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})()`;

/** The sample of one load, from the page's navigation, paint and resource entries. */
const READ_SAMPLE = `(() => {
  const [nav] = performance.getEntriesByType('navigation');
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  const resources = performance.getEntriesByType('resource');
  return {
    interactive: window.__signInReadyAt - nav.startTime,
    fcp: fcp ? fcp.startTime - nav.startTime : NaN,
    domContentLoaded: nav.domContentLoadedEventEnd - nav.startTime,
    loadEvent: nav.loadEventEnd - nav.startTime,
    transferred: [nav, ...resources].reduce((sum, e) => sum + e.transferSize, 0),
  };
})()`;

async function coldLoad(browser: Browser, url: string): Promise<LoadSample> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    await context.addInitScript(WATCH_SIGN_IN_FORM);
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForSelector('form[aria-label="Sign in"] input[name="password"]:enabled');
    await page.waitForFunction('window.__signInReadyAt !== undefined');
    await page.waitForLoadState('load');
    return await page.evaluate<LoadSample>(READ_SAMPLE);
  } finally {
    await context.close();
  }
}

/** A fresh Kontor, nobody signed in: `COLD_LOADS` cold loads of the app. */
async function benchFirstLoad(browser: Browser): Promise<FirstLoadFigures> {
  const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kontor-bench-first-load-'));
  // the embedded server runs as OS user postgres, which must reach the data directory
  await fsp.chmod(dataDir, 0o755);
  const kontor = await startKontor(
    loadConfig({
      KONTOR_DATA_DIR: dataDir,
      KONTOR_HOST: '127.0.0.1',
      KONTOR_HTTP_PORT: String(await freePort()),
      KONTOR_GATEWAY_PORT: String(await freePort()),
      KONTOR_EMBEDDED_POSTGRES_PORT: String(await freePort()),
    }),
    silentLogger(),
  );
  try {
    const url = `http://127.0.0.1:${kontor.httpPort}/`;
    const samples: LoadSample[] = [];
    for (let i = 0; i < COLD_LOADS; i += 1) samples.push(await coldLoad(browser, url));
    const median = (pick: (s: LoadSample) => number) => round(percentile(samples.map(pick), 50));
    return {
      firstLoadMs: median((s) => s.interactive),
      slowestLoadMs: round(Math.max(...samples.map((s) => s.interactive))),
      firstContentfulPaintMs: median((s) => s.fcp),
      domContentLoadedMs: median((s) => s.domContentLoaded),
      loadEventMs: median((s) => s.loadEvent),
      transferredKb: Math.round(samples[0].transferred / 1024),
    };
  } finally {
    await kontor.stop();
    await fsp.rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  ensureWebAppBuilt();
  const browser = await launchBrowser();
  try {
    const firstLoad = await benchFirstLoad(browser);
    const tasklist = await benchTasklist({ browser });
    const instance = await benchInstancePage({ browser });

    printTable(`First load on localhost (median of ${COLD_LOADS} cold loads, new context each)`, [
      ['navigation → sign-in form usable', `${firstLoad.firstLoadMs} ms (target < 1500 ms)`],
      ['slowest of the loads', `${firstLoad.slowestLoadMs} ms`],
      ['first contentful paint', `${firstLoad.firstContentfulPaintMs} ms`],
      ['DOMContentLoaded', `${firstLoad.domContentLoadedMs} ms`],
      ['load event', `${firstLoad.loadEventMs} ms`],
      ['transferred', `${firstLoad.transferredKb} KiB`],
    ]);
    printTable('Tasklist with 10,000 open tasks', [
      ['filtered page, p95 (Chromium fetch)', `${tasklist.tasklistPageMs} ms (target < 200 ms)`],
      ['filter click → rows, median', `${tasklist.tasklistUiMs} ms`],
      ['instances started', `${tasklist.instancesPerSecond} / s`],
      ['all tasks taken after', `${tasklist.intakeSeconds} s`],
    ]);
    printTable(`Instance page of an instance with ${instance.records} records`, [
      ['navigation → diagram and timeline, median', `${instance.instancePageMs} ms (target < 1 s)`],
    ]);
    console.log();
    printFigures({
      firstLoadMs: firstLoad.firstLoadMs,
      tasklistPageMs: tasklist.tasklistPageMs,
      instancePageMs: instance.instancePageMs,
    });
  } finally {
    await browser.close();
  }
}

await main();
