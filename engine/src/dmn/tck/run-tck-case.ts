/**
 * Runs one TCK test case against a compiled model through the library's public API and says
 * whether every result node matches. Numbers compare with a relative tolerance of 1e-9 (FEEL
 * numbers are decimals; feelin computes in binary floating point), durations by kind and exact
 * length (feelin's duration equality is too lenient for a test: it compares durations over 180
 * days in months), everything else with FEEL equality; a node whose expected result is an error
 * passes when the evaluation fails or returns null.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelTime } from 'feelin';
import type { CompiledDmn } from '../dmn-model.js';
import {
  evaluateDecision,
  evaluateDecisionService,
  type DecisionEvaluation,
} from '../evaluate-decision.js';
import { describe, feelEquals } from '../feel-values.js';
import type { TckTestCase } from './read-tck-cases.js';

export interface TckCaseOutcome {
  readonly passed: boolean;
  /** for a failure: which result node differed and how */
  readonly detail?: string;
}

export function runTckCase(dmn: CompiledDmn, testCase: TckTestCase): TckCaseOutcome {
  if (dmn.problems.length > 0) {
    return { passed: false, detail: `model does not compile: ${dmn.problems[0].message}` };
  }
  let serviceEvaluation: DecisionEvaluation | undefined;
  if (testCase.type === 'decisionService') {
    serviceEvaluation = evaluateDecisionService(
      dmn,
      testCase.invocableName ?? '',
      testCase.inputs,
      { values: 'feel' },
    );
  }
  for (const node of testCase.results) {
    const evaluation =
      serviceEvaluation ?? evaluateDecision(dmn, node.name, testCase.inputs, { values: 'feel' });
    if (node.errorResult) {
      if (evaluation.ok && evaluation.result !== null) {
        return {
          passed: false,
          detail: `${node.name}: expected an error, got ${describe(evaluation.result)}`,
        };
      }
      continue;
    }
    if (!evaluation.ok) return { passed: false, detail: `${node.name}: ${evaluation.message}` };
    if (!tckValuesMatch(evaluation.result, node.expected)) {
      return {
        passed: false,
        detail: `${node.name}: expected ${describe(node.expected)}, got ${describe(evaluation.result)}`,
      };
    }
  }
  return { passed: true };
}

export function tckValuesMatch(actual: unknown, expected: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => tckValuesMatch(actual[index], item))
    );
  }
  if (expected instanceof FeelDuration) {
    return actual instanceof FeelDuration && sameDuration(actual, expected);
  }
  if (
    expected instanceof FeelDate ||
    expected instanceof FeelTime ||
    expected instanceof FeelDateTime
  ) {
    return (
      actual !== null &&
      typeof actual === 'object' &&
      actual.constructor === expected.constructor &&
      (feelEquals(actual, expected) || String(actual) === String(expected))
    );
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const actualContext = actual as Record<string, unknown>;
    const expectedContext = expected as Record<string, unknown>;
    return Object.keys(expectedContext).every((key) =>
      tckValuesMatch(actualContext[key] ?? null, expectedContext[key]),
    );
  }
  return actual === expected;
}

/**
 * Durations are equal when they are of one kind and of one length: years-and-months in months,
 * days-and-time in nanoseconds, counted exactly. A part outside its kind counts too, so
 * `P1Y8M` is not `P1Y8M2D` (feelin's duration equality says it is), nor `PT9H` `PT10H`.
 */
function sameDuration(actual: FeelDuration, expected: FeelDuration): boolean {
  if (actual.yearsMonths !== expected.yearsMonths) return false;
  const [a, e] = [actual.unwrap(), expected.unwrap()];
  return months(a) === months(e) && nanoseconds(a) === nanoseconds(e);
}

type TemporalDuration = ReturnType<FeelDuration['unwrap']>;

function months(d: TemporalDuration): number {
  return d.years * 12 + d.months;
}

function nanoseconds(d: TemporalDuration): bigint {
  const seconds =
    ((BigInt(d.weeks * 7 + d.days) * 24n + BigInt(d.hours)) * 60n + BigInt(d.minutes)) * 60n +
    BigInt(d.seconds);
  return (
    seconds * 1_000_000_000n +
    BigInt(d.milliseconds) * 1_000_000n +
    BigInt(d.microseconds) * 1_000n +
    BigInt(d.nanoseconds)
  );
}
