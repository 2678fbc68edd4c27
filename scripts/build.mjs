#!/usr/bin/env node
/**
 * Builds what is out of date, and nothing else, so that `npm start` is quick after the first
 * build (`npm install` runs it once through `prepare`):
 * - the TypeScript projects (`tsc -b`), when a source under engine/, connectors/ or workflows/
 *   is newer than the engine's build;
 * - the web app (`vite build` in modeler/), when a file of it is newer than modeler/dist.
 * `--force` builds both regardless.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');

/** Newest modification time (ms) of the files below `target` that `skip` keeps, or 0 if there are none. */
function newest(target, skip = () => false) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (skip(target)) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of fs.readdirSync(target))
    latest = Math.max(latest, newest(path.join(target, entry), skip));
  return latest;
}

function run(command, args, cwd = root) {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const notTest = (f) => f.endsWith('.test.ts');
const engineSources = Math.max(
  newest(path.join(root, 'tsconfig.base.json')),
  ...['engine', 'connectors', 'workflows'].flatMap((project) => [
    newest(path.join(root, project, 'src'), notTest),
    newest(path.join(root, project, 'tsconfig.json')),
  ]),
  // workflows keep their code beside their BPMN, not under src/
  newest(
    path.join(root, 'workflows'),
    (f) => notTest(f) || ['dist', 'node_modules'].includes(path.basename(f)),
  ),
);
if (force || engineSources > newest(path.join(root, 'engine', 'dist', '.tsbuildinfo'))) {
  run(bin('tsc'), ['-b']);
}

const modeler = path.join(root, 'modeler');
const webSources = Math.max(
  newest(path.join(modeler, 'src')),
  newest(path.join(modeler, 'index.html')),
  newest(path.join(modeler, 'vite.config.ts')),
  newest(path.join(modeler, 'package.json')),
);
if (force || webSources > newest(path.join(modeler, 'dist', 'index.html'))) {
  run(bin('vite'), ['build', '--logLevel', 'warn'], modeler);
}
