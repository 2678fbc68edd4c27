// Runs the DMN TCK (compliance levels 2 and 3, DMN 1.3) through the engine as a client sees it:
// each model is deployed with deployResources, each test case is evaluated with evaluateDecision
// (JSON variables in, the decisionOutput JSON text out). Every case must pass except those listed,
// with a reason, in dmn-tck-engine-known-failures.json; a listed case that starts passing fails
// the test too, so the list stays true. The library-level run of the same suite is
// engine/src/dmn/dmn-tck.conformance.test.ts; this one adds what deployment and JSON change.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toJson } from '../../dmn/feel-values.js';
import { readTckFile, type TckTestCase } from '../../dmn/tck/read-tck-cases.js';
import { tckValuesMatch } from '../../dmn/tck/run-tck-case.js';
import { startEngineHarness, type EngineHarness } from '../../testing/engine-harness.js';
import type { Engine } from '../engine.js';
import knownFailures from './dmn-tck-engine-known-failures.json' with { type: 'json' };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const tckRoot = path.resolve(repoRoot, '../shared/conformance/dmn-tck');
const listed: Record<string, string> = knownFailures.knownFailures;

/** Camunda's published figures (dmn-scala 1.9.0 in Zeebe, whole suite, 2024-07-02). */
const camunda = {
  'compliance-level-2': { passed: 113, total: 116 },
  'compliance-level-3': { passed: 2741, total: 3134 },
} as const;
type Level = keyof typeof camunda;
const levels = Object.keys(camunda) as Level[];

/** Test cases in flight at once: enough to fill the engine's batches, few enough to stay fair. */
const CHUNK_SIZE = 64;

/** A deployed model: its decisions by name and by id, or why it could not be deployed. */
type Deployment = { decisionKeys: Map<string, string> } | { failure: string };

interface TckEngineCase {
  /** level/folder/test file#testCase id, as in the known-failures file */
  readonly key: string;
  readonly deployment: Deployment;
  readonly testCase: TckTestCase;
}

interface CaseOutcome {
  readonly key: string;
  readonly passed: boolean;
  readonly detail?: string;
}

async function deployModel(engine: Engine, modelName: string, xml: string): Promise<Deployment> {
  try {
    const result = await engine.deployResources([{ name: modelName, content: xml }]);
    const decisions = result.decisions ?? [];
    // result nodes name decisions; a name wins over an equal id of another decision
    const decisionKeys = new Map<string, string>(
      decisions.map((decision) => [decision.dmnDecisionId, decision.decisionKey]),
    );
    for (const decision of decisions)
      decisionKeys.set(decision.dmnDecisionName, decision.decisionKey);
    return { decisionKeys };
  } catch (error) {
    return {
      failure: `model does not deploy: ${(error as Error).message.replace(/\s*\n\s*/g, ' ')}`,
    };
  }
}

/** Deploys every model of a level once and collects its test cases. */
async function casesOf(engine: Engine, level: Level): Promise<TckEngineCase[]> {
  const cases: TckEngineCase[] = [];
  for (const folder of readdirSync(path.join(tckRoot, level)).sort()) {
    const folderPath = path.join(tckRoot, level, folder);
    const deployments = new Map<string, Deployment>();
    for (const testFile of readdirSync(folderPath)
      .filter((name) => /-test-\d+\.xml$/.test(name))
      .sort()) {
      const file = readTckFile(readFileSync(path.join(folderPath, testFile), 'utf8'));
      let deployment = deployments.get(file.modelName);
      if (!deployment) {
        const xml = readFileSync(path.join(folderPath, file.modelName), 'utf8');
        deployment = await deployModel(engine, file.modelName, xml);
        deployments.set(file.modelName, deployment);
      }
      for (const testCase of file.testCases) {
        cases.push({ key: `${level}/${folder}/${testFile}#${testCase.id}`, deployment, testCase });
      }
    }
  }
  return cases;
}

/**
 * Evaluates each result node's decision through the engine. A node whose expected result is an
 * error passes when the evaluation fails or its output is null; any other node compares the
 * output JSON with the expected value in its JSON form (dates, times and durations as ISO text,
 * compared as text: a client sees the text, not FEEL equality).
 */
async function runCase(engine: Engine, tck: TckEngineCase): Promise<CaseOutcome> {
  const { key, deployment, testCase } = tck;
  const failed = (detail: string): CaseOutcome => ({ key, passed: false, detail });
  if ('failure' in deployment) return failed(deployment.failure);
  if (testCase.type !== 'decision') {
    return failed(
      `invokes ${testCase.type} '${testCase.invocableName ?? ''}'; the engine evaluates decisions only`,
    );
  }
  const variables = toJson(testCase.inputs) as Record<string, unknown>;
  for (const node of testCase.results) {
    const decisionKey = deployment.decisionKeys.get(node.name);
    if (!decisionKey) return failed(`${node.name}: no such decision was deployed`);
    let response: Record<string, unknown>;
    try {
      response = await engine.evaluateDecision({ decisionKey, variables });
    } catch (error) {
      return failed(`${node.name}: evaluateDecision refused: ${(error as Error).message}`);
    }
    const failureMessage = String(response.failureMessage ?? '');
    const output: unknown = failureMessage ? null : JSON.parse(String(response.decisionOutput));
    if (node.errorResult) {
      if (!failureMessage && output !== null) {
        return failed(`${node.name}: expected an error, got ${JSON.stringify(output)}`);
      }
      continue;
    }
    if (failureMessage) return failed(`${node.name}: ${failureMessage}`);
    const expected = utcAsZ(toJson(node.expected));
    if (!tckValuesMatch(utcAsZ(output), expected)) {
      return failed(
        `${node.name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(output)}`,
      );
    }
  }
  return { key, passed: true };
}

/**
 * Writes a time or date and time at UTC with `Z`: the TCK writes `11:22:33Z` where the engine
 * writes the equal `11:22:33+00:00` or `11:22:33-00:00`. Any other difference still counts.
 */
function utcAsZ(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(/^((?:\d{4}-\d\d-\d\dT)?\d\d:\d\d:\d\d(?:\.\d+)?)[+-]00:00$/, '$1Z');
  }
  if (Array.isArray(value)) return value.map(utcAsZ);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, utcAsZ(item)]));
  }
  return value;
}

async function runAll(engine: Engine, cases: readonly TckEngineCase[]): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (let start = 0; start < cases.length; start += CHUNK_SIZE) {
    const chunk = cases.slice(start, start + CHUNK_SIZE);
    outcomes.push(...(await Promise.all(chunk.map((tck) => runCase(engine, tck)))));
  }
  return outcomes;
}

const percent = (passed: number, total: number) => `${((100 * passed) / total).toFixed(1)} %`;

describe.skipIf(!existsSync(tckRoot))(`DMN TCK through the engine (${tckRoot})`, () => {
  let harness: EngineHarness;
  beforeAll(async () => {
    harness = await startEngineHarness();
  });
  afterAll(() => harness?.stop());

  for (const level of levels) {
    it(`deploys every ${level} model and evaluates every case that is not a known failure`, async () => {
      // given
      const cases = await casesOf(harness.engine, level);

      // when
      const outcomes = await runAll(harness.engine, cases);

      // then
      const passed = outcomes.filter((outcome) => outcome.passed).length;
      const reference = camunda[level];
      console.log(
        `DMN TCK ${level} through the engine: ${passed}/${outcomes.length} passed (${percent(passed, outcomes.length)}); ` +
          `Camunda: ${reference.passed}/${reference.total} (${percent(reference.passed, reference.total)})`,
      );
      expect(outcomes.length).toBeGreaterThan(0);
      expect(
        outcomes
          .filter((outcome) => !outcome.passed && !(outcome.key in listed))
          .map((outcome) => `${outcome.key}: ${outcome.detail}`),
        'cases that fail but are not in dmn-tck-engine-known-failures.json',
      ).toEqual([]);
      expect(
        outcomes
          .filter((outcome) => outcome.passed && outcome.key in listed)
          .map((outcome) => outcome.key),
        'cases in dmn-tck-engine-known-failures.json that pass now: remove them',
      ).toEqual([]);
    }, 120_000);
  }

  it('gives a known reason for every known failure', () => {
    const reasons: Record<string, string> = knownFailures.reasons;
    const unexplained = Object.entries(listed).filter(([, reason]) => !(reason in reasons));
    expect(unexplained).toEqual([]);
  });
});

if (!existsSync(tckRoot)) {
  console.warn(
    `DMN TCK through the engine skipped: ${tckRoot} does not exist (see /work/shared/conformance/dmn-tck/README.md)`,
  );
}
