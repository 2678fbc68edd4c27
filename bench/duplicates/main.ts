/**
 * bench:duplicates — precision, recall and latency of the similarity check
 * (workflows/duplicate-claim-escalation/similarity) on a durable PostgreSQL (default settings,
 * fsync on) holding BENCH_CLAIMS generated claims (default 1,000,000; see generator.ts for the
 * households, namesakes, stored duplicates and probe kinds).
 *
 * The stored claims are written with COPY (indexes dropped during the load and built after it,
 * the same definitions as migration 0012), then ANALYZE. BENCH_PROBES probe claims (default
 * 2,000) are checked one after another, after 200 warm-up checks that are not counted; latency
 * is one `SimilarityCheck.run` (the SQL round trip and the scoring), wall clock.
 *
 * Precision = true material matches / all material matches reported; recall = true material
 * matches reported / all true matches (same child, at least half of the smaller wish list the
 * same wishes, by the generator's wish ids).
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import type { Pool } from 'pg';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { claimKeys } from '../../workflows/duplicate-claim-escalation/similarity/claim.js';
import { SimilarityCheck } from '../../workflows/duplicate-claim-escalation/similarity/similarity-check.js';
import { startDurablePostgres } from '../support/durable-postgres.js';
import { peakRssMb, percentile, printFigures, printTable, round } from '../support/report.js';
import { ClaimGenerator, type GeneratedClaim, type Probe, type ProbeKind } from './generator.js';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 1_000_000);
const PROBES = Number(process.env.BENCH_PROBES ?? 2_000);
const WARMUP = 200;
const SEED = Number(process.env.BENCH_SEED ?? 20_261_224);

const INDEXES = [
  'CREATE INDEX claim_postal_key ON claim (postal_key)',
  'CREATE INDEX claim_birth_date ON claim (birth_date)',
  'CREATE INDEX claim_name_trgm ON claim USING gin (name_key gin_trgm_ops)',
];

const csv = (value: string | null | undefined) =>
  value === null || value === undefined ? '' : `"${value.replace(/"/g, '""')}"`;
const pgArray = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;

function csvRow(claim: GeneratedClaim, submittedAt: string): string {
  const keys = claimKeys(claim);
  return [
    csv(claim.reference),
    csv(claim.recipientId),
    csv(claim.channel),
    csv(claim.claimantName),
    csv(claim.birthDate),
    csv(claim.street),
    csv(claim.postalCode),
    csv(claim.city),
    csv(pgArray(claim.items)),
    csv(keys.nameKey),
    csv(keys.addressKey),
    csv(keys.postalKey),
    csv(pgArray(keys.itemKeys)),
    submittedAt,
  ].join(',');
}

async function* csvChunks(generator: ClaimGenerator, count: number): AsyncGenerator<string> {
  let lines: string[] = [];
  const submittedAt = new Date('2026-12-01T00:00:00Z').toISOString();
  for (const claim of generator.storedClaims(count)) {
    lines.push(csvRow(claim, submittedAt));
    if (lines.length === 5_000) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

interface Tally {
  probes: number;
  reported: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

async function main(): Promise<void> {
  const postgres = await startDurablePostgres(2);
  postgres.pool.on('error', () => undefined);
  try {
    const { pool } = postgres;
    const generator = new ClaimGenerator(SEED);

    // load
    const loadStarted = performance.now();
    await pool.query('DROP INDEX claim_postal_key, claim_birth_date, claim_name_trgm');
    const client = await pool.connect();
    try {
      await pipeline(
        Readable.from(csvChunks(generator, CLAIMS)),
        client.query(
          copyFrom(`COPY claim (reference, recipient_id, channel, claimant_name, birth_date, street,
            postal_code, city, items, name_key, address_key, postal_key, item_keys, submitted_at)
            FROM STDIN (FORMAT csv)`),
        ),
      );
      await client.query(`SET maintenance_work_mem = '256MB'`);
      for (const statement of INDEXES) await client.query(statement);
      await client.query('ANALYZE claim');
    } finally {
      client.release();
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM claim');
    const stored = rows[0].n;

    // check
    const check = new SimilarityCheck(pool);
    const warmup = generator.probes(WARMUP);
    for (const probe of warmup) await check.run(probe.claim);
    const probes = generator.probes(PROBES);
    const latencies: number[] = [];
    const tallies = new Map<ProbeKind | 'all', Tally>();
    const tally = (kind: ProbeKind | 'all') => {
      let t = tallies.get(kind);
      if (!t) {
        t = { probes: 0, reported: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0 };
        tallies.set(kind, t);
      }
      return t;
    };
    const misses: string[] = [];
    for (const probe of probes) {
      const started = performance.now();
      const result = await check.run(probe.claim);
      latencies.push(performance.now() - started);
      const reported = result.matches
        .filter((m) => m.material)
        .map((m) => Number(m.claim.reference.slice(2)));
      const truth = new Set(probe.truth);
      const tp = reported.filter((n) => truth.has(n)).length;
      for (const t of [tally(probe.kind), tally('all')]) {
        t.probes += 1;
        t.reported += reported.length;
        t.truePositives += tp;
        t.falsePositives += reported.length - tp;
        t.falseNegatives += truth.size - tp;
      }
      if ((reported.length > tp || truth.size > tp) && misses.length < 12) {
        misses.push(await describe(probe, reported, pool));
      }
    }

    const all = tally('all');
    const precision = all.reported === 0 ? 1 : all.truePositives / all.reported;
    const recall =
      all.truePositives + all.falseNegatives === 0
        ? 1
        : all.truePositives / (all.truePositives + all.falseNegatives);
    const p50Ms = percentile(latencies, 50);
    const p99Ms = percentile(latencies, 99);

    printTable(`bench:duplicates — ${stored.toLocaleString('en')} stored claims`, [
      ['stored claims', stored],
      ['load (COPY, indexes, ANALYZE)', `${round(loadSeconds)} s`],
      ['probes checked (after warm-up)', probes.length],
      ['true matches', all.truePositives + all.falseNegatives],
      ['reported material matches', all.reported],
      ['precision', round(precision, 4)],
      ['recall', round(recall, 4)],
      ['latency p50', `${round(p50Ms, 2)} ms`],
      ['latency p99', `${round(p99Ms, 2)} ms`],
      ['latency max', `${round(Math.max(...latencies), 2)} ms`],
      ['peak RSS', `${peakRssMb()} MiB`],
    ]);
    printTable(
      'by probe kind (probes / reported / true pos. / false pos. / false neg.)',
      [...tallies.entries()]
        .filter(([kind]) => kind !== 'all')
        .map(([kind, t]) => [
          kind,
          `${t.probes} / ${t.reported} / ${t.truePositives} / ${t.falsePositives} / ${t.falseNegatives}`,
        ]),
    );
    if (misses.length > 0) {
      console.log('\nsome misses (probe → reported vs truth):');
      for (const line of misses) console.log(`  ${line}`);
    }
    printFigures({
      claims: stored,
      precision: round(precision, 4),
      recall: round(recall, 4),
      p50Ms: round(p50Ms, 2),
      p99Ms: round(p99Ms, 2),
    });
  } finally {
    await postgres.close();
  }
}

/** One miss, with the stored claims involved as written, for whoever tunes the check. */
async function describe(probe: Probe, reported: number[], pool: Pool): Promise<string> {
  const written = (
    c: Pick<GeneratedClaim, 'claimantName' | 'birthDate' | 'street' | 'postalCode' | 'items'>,
  ) =>
    `${c.claimantName} | ${c.birthDate ?? '-'} | ${c.street}, ${c.postalCode} | ${c.items.join('; ')}`;
  const storedClaims = async (numbers: number[]) => {
    const { rows } = await pool.query<{
      reference: string;
      claimantName: string;
      birthDate: string | null;
      street: string;
      postalCode: string;
      items: string[];
    }>(
      `SELECT reference, claimant_name AS "claimantName", birth_date::text AS "birthDate", street,
              postal_code AS "postalCode", items
         FROM claim WHERE reference = ANY($1)`,
      [numbers.map((n) => `B-${n}`)],
    );
    return rows.map(
      (r) => `${r.reference}: ${written({ ...r, birthDate: r.birthDate ?? undefined })}`,
    );
  };
  return [
    `${probe.kind}: ${written(probe.claim)}`,
    ...(await storedClaims(reported)).map((line) => `    reported ${line}`),
    ...(await storedClaims(probe.truth)).map((line) => `    truth    ${line}`),
  ].join('\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
