/**
 * bench:dmn — the DMN library on its own, in one process: a generated decision table of 50 rules
 * over 5 inputs (number ranges and comparisons, lists of strings, booleans, dates; about 30 % "-"
 * cells), compiled once, then evaluated one call at a time over varied inputs, first with hit
 * policy FIRST and then COLLECT, for BENCH_SECONDS each. Inputs are JSON values as process
 * variables hold them (dates as ISO strings), and every evaluation builds the full audit record.
 * No database: this measures decision evaluation, not deployment or the engine around it.
 */
import { decisionTable, dmnXml } from '../../engine/src/dmn/__fixtures__/dmn-xml.js';
import { compileDmn, evaluateDecision, type CompiledDmn } from '../../engine/src/dmn/index.js';
import { peakRssMb, percentile, printFigures, printTable, round } from '../support/report.js';

const RULES = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const WARMUP_SECONDS = 1;
const INPUT_SETS = 1_000;
const BATCH = 500;

const REGIONS = ['north', 'south', 'east', 'west', 'central'];
const CHANNELS = ['web', 'phone', 'branch', 'partner', 'mail'];

/** A small seeded generator, so that every run measures the same table and inputs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Table {
  readonly rows: string[][];
  readonly dashShare: number;
}

function generateRules(next: () => number): Table {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const isoDate = (year: number) =>
    `${year}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
  const cells: (() => string)[] = [
    () => {
      const low = Math.floor(next() * 40) * 250;
      return pick([
        `[${low}..${low + 2_500}]`,
        `]${low}..${low + 5_000}[`,
        `< ${low + 500}`,
        `>= ${low}`,
        `${low}`,
      ]);
    },
    () => {
      const count = 1 + Math.floor(next() * 3);
      const regions = REGIONS.slice()
        .sort(() => next() - 0.5)
        .slice(0, count)
        .map((region) => `"${region}"`)
        .join(',');
      return next() < 0.2 ? `not(${regions})` : regions;
    },
    () => pick(['true', 'false']),
    () => {
      const from = isoDate(2020 + Math.floor(next() * 4));
      const to = isoDate(2024 + Math.floor(next() * 2));
      return pick([`>= date("${from}")`, `< date("${to}")`, `[date("${from}")..date("${to}")]`]);
    },
    () => pick([`"${pick(CHANNELS)}"`, `"${pick(CHANNELS)}","${pick(CHANNELS)}"`, `not("mail")`]),
  ];
  const rows: string[][] = [];
  let dashes = 0;
  for (let index = 0; index < RULES; index++) {
    const last = index === RULES - 1;
    const inputs = cells.map((cell) => {
      // the last rule catches everything, as tables in production usually end
      if (last || next() < 0.27) {
        dashes++;
        return '-';
      }
      return cell();
    });
    rows.push([...inputs, `"partner-${index + 1}"`, `${(index % 7) + 1}`]);
  }
  return { rows, dashShare: dashes / (RULES * cells.length) };
}

function generateInputs(next: () => number): Record<string, unknown>[] {
  return Array.from({ length: INPUT_SETS }, () => ({
    amount: Math.round(next() * 12_000 * 100) / 100,
    region: REGIONS[Math.floor(next() * REGIONS.length)],
    vip: next() < 0.3,
    customerSince: `${2019 + Math.floor(next() * 7)}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-15`,
    channel: CHANNELS[Math.floor(next() * CHANNELS.length)],
  }));
}

async function compileTable(
  hitPolicy: 'FIRST' | 'COLLECT',
  rows: string[][],
): Promise<CompiledDmn> {
  const xml = dmnXml(
    decisionTable({
      id: 'partnerAssignment',
      hitPolicy,
      inputs: [
        { label: 'Amount', expression: 'amount', typeRef: 'number' },
        { label: 'Region', expression: 'region', typeRef: 'string' },
        { label: 'VIP', expression: 'vip', typeRef: 'boolean' },
        { label: 'Customer since', expression: 'customerSince', typeRef: 'date' },
        { label: 'Channel', expression: 'channel', typeRef: 'string' },
      ],
      outputs: [
        { name: 'partner', typeRef: 'string' },
        { name: 'priority', typeRef: 'number' },
      ],
      rules: rows,
    }),
  );
  const dmn = await compileDmn(xml);
  if (dmn.problems.length > 0) {
    throw new Error(`the generated table does not compile: ${dmn.problems[0].message}`);
  }
  return dmn;
}

interface Run {
  readonly evaluations: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly microsP50: number;
  readonly microsP99: number;
  readonly matchedRulesAverage: number;
  /** 1-based position of the first rule in the result, averaged: how far FIRST had to look */
  readonly firstRulePositionAverage: number;
}

function run(dmn: CompiledDmn, inputs: Record<string, unknown>[], seconds: number): Run {
  const batchMicros: number[] = [];
  let evaluations = 0;
  let matchedRules = 0;
  let firstRulePositions = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let now = started;
  while (now < deadline) {
    const batchStarted = now;
    for (let index = 0; index < BATCH; index++) {
      const evaluation = evaluateDecision(
        dmn,
        'partnerAssignment',
        inputs[(evaluations + index) % inputs.length],
      );
      if (!evaluation.ok) throw new Error(`evaluation failed: ${evaluation.message}`);
      const [record] = evaluation.evaluatedDecisions;
      matchedRules += record.matchedRules.length;
      firstRulePositions += record.matchedRules[0]?.ruleIndex ?? RULES;
    }
    evaluations += BATCH;
    now = process.hrtime.bigint();
    batchMicros.push(Number(now - batchStarted) / 1_000 / BATCH);
  }
  const elapsed = Number(now - started) / 1e9;
  return {
    evaluations,
    seconds: elapsed,
    perSecond: evaluations / elapsed,
    microsP50: percentile(batchMicros, 50),
    microsP99: percentile(batchMicros, 99),
    matchedRulesAverage: matchedRules / evaluations,
    firstRulePositionAverage: firstRulePositions / evaluations,
  };
}

async function main(): Promise<void> {
  const next = random(20_240_101);
  const table = generateRules(next);
  const inputs = generateInputs(next);
  const compileStarted = performance.now();
  const first = await compileTable('FIRST', table.rows);
  const compileMs = performance.now() - compileStarted;
  const collect = await compileTable('COLLECT', table.rows);

  run(first, inputs, WARMUP_SECONDS);
  const firstRun = run(first, inputs, SECONDS);
  run(collect, inputs, WARMUP_SECONDS);
  const collectRun = run(collect, inputs, SECONDS);

  printTable('bench:dmn — decision table, one evaluation at a time, one process', [
    ['rules × inputs', `${RULES} × 5 (number, string list, boolean, date, string)`],
    ['"-" cells', `${round(table.dashShare * 100)} %`],
    ['distinct input sets', INPUT_SETS],
    ['compile (FIRST table, ms)', round(compileMs)],
    ['FIRST evaluations', firstRun.evaluations],
    ['FIRST evaluations/s', Math.round(firstRun.perSecond)],
    [
      'FIRST µs/evaluation p50 / p99 (batches)',
      `${round(firstRun.microsP50, 2)} / ${round(firstRun.microsP99, 2)}`,
    ],
    ['FIRST position of the rule that fired (average)', round(firstRun.firstRulePositionAverage)],
    ['COLLECT evaluations', collectRun.evaluations],
    ['COLLECT evaluations/s', Math.round(collectRun.perSecond)],
    [
      'COLLECT µs/evaluation p50 / p99 (batches)',
      `${round(collectRun.microsP50, 2)} / ${round(collectRun.microsP99, 2)}`,
    ],
    ['COLLECT matched rules per evaluation', round(collectRun.matchedRulesAverage, 2)],
    ['peak RSS (MiB)', peakRssMb()],
  ]);
  printFigures({
    evaluationsPerSecondFirst: Math.round(firstRun.perSecond),
    evaluationsPerSecondCollect: Math.round(collectRun.perSecond),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
