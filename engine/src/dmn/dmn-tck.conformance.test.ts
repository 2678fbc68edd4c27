// Runs the DMN TCK (compliance levels 2 and 3, DMN 1.3) through compileDmn and the evaluation
// API. Every case must pass except those listed, with a reason, in tck/tck-exclusions.json; a
// listed case that starts passing fails the test too, so the list stays true.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileDmn } from './compile-dmn.js';
import { readTckFile } from './tck/read-tck-cases.js';
import { runTckCase } from './tck/run-tck-case.js';
import exclusions from './tck/tck-exclusions.json' with { type: 'json' };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tckRoot = path.resolve(repoRoot, '../shared/conformance/dmn-tck');
const levels = ['compliance-level-2', 'compliance-level-3'] as const;
const excluded: Record<string, string> = exclusions.excluded;

interface LevelOutcome {
  total: number;
  passed: number;
  unexpectedFailures: string[];
  unexpectedPasses: string[];
}

async function runLevel(level: string): Promise<LevelOutcome> {
  const outcome: LevelOutcome = {
    total: 0,
    passed: 0,
    unexpectedFailures: [],
    unexpectedPasses: [],
  };
  for (const folder of readdirSync(path.join(tckRoot, level)).sort()) {
    const folderPath = path.join(tckRoot, level, folder);
    for (const testFile of readdirSync(folderPath)
      .filter((name) => /-test-\d+\.xml$/.test(name))
      .sort()) {
      const file = readTckFile(readFileSync(path.join(folderPath, testFile), 'utf8'));
      const dmn = await compileDmn(readFileSync(path.join(folderPath, file.modelName), 'utf8'));
      for (const testCase of file.testCases) {
        const key = `${level}/${folder}/${testFile}#${testCase.id}`;
        const result = runTckCase(dmn, testCase);
        outcome.total++;
        if (result.passed) outcome.passed++;
        if (!result.passed && !(key in excluded))
          outcome.unexpectedFailures.push(`${key}: ${result.detail}`);
        if (result.passed && key in excluded) outcome.unexpectedPasses.push(key);
      }
    }
  }
  return outcome;
}

describe.skipIf(!existsSync(tckRoot))(`DMN TCK conformance (${tckRoot})`, () => {
  for (const level of levels) {
    it(`passes every ${level} case that is not excluded`, async () => {
      // when
      const outcome = await runLevel(level);

      // then
      console.log(
        `DMN TCK ${level}: ${outcome.passed}/${outcome.total} passed (${((100 * outcome.passed) / outcome.total).toFixed(1)} %)`,
      );
      expect(outcome.total).toBeGreaterThan(0);
      expect(
        outcome.unexpectedFailures,
        'cases that fail but are not in tck-exclusions.json',
      ).toEqual([]);
      expect(
        outcome.unexpectedPasses,
        'cases in tck-exclusions.json that pass now: remove them',
      ).toEqual([]);
    });
  }

  it('gives a known reason for every exclusion', () => {
    const reasons: Record<string, string> = exclusions.reasons;
    const unexplained = Object.entries(excluded).filter(([, reason]) => !(reason in reasons));
    expect(unexplained).toEqual([]);
  });
});

if (!existsSync(tckRoot)) {
  console.warn(
    `DMN TCK conformance skipped: ${tckRoot} does not exist (see /work/shared/conformance/dmn-tck/README.md)`,
  );
}
