/**
 * The similarity check as a job worker (type `kontor:similarity-check`), usable from any BPMN
 * as a service task (element template: `../element-templates/similarity-check.json`).
 *
 * Input variables: `claimId` (a stored claim, checked against all others) or `claim` (a claim
 * not stored yet: claimantName, birthDate, street, postalCode, city, items, recipientId,
 * channel). Output: `similarity` = { duplicate, bestScore, matches: [{ claimId, reference,
 * recipientId, channel, claimantName, status, score, material, reasons, overlappingItems,
 * viaReference }] } — a match on a merged claim names the claim it was merged into, with the
 * merged claim's reference in `viaReference`.
 * A job whose input names no claim fails without retries, so an incident names the problem.
 *
 *   const worker = startSimilarityCheckWorker({ zeebe, pool });
 *   await worker.close();
 */
import type { Zeebe } from '@camunda8/sdk';
import type pg from 'pg';
import { claimSummary, type NewClaim } from './claim.js';
import { ClaimsRepository } from './claims.repository.js';
import { SimilarityCheck, type SimilarityResult } from './similarity-check.js';

export const SIMILARITY_CHECK_JOB_TYPE = 'kontor:similarity-check';

export interface SimilarityCheckWorkerOptions {
  readonly zeebe: Zeebe.ZeebeGrpcClient;
  readonly pool: pg.Pool;
  /** @default 'kontor:similarity-check' */
  readonly taskType?: string;
  /** called with the job's variables and the result before the job completes */
  readonly onChecked?: (
    variables: Record<string, unknown>,
    result: SimilarityResult,
  ) => Promise<void>;
}

/** The `similarity` variable: what a process decides on, without the claims' full content. */
export function similarityVariable(result: SimilarityResult): Record<string, unknown> {
  return {
    duplicate: result.duplicate,
    bestScore: result.matches[0]?.score ?? 0,
    matches: result.matches.map((m) => ({
      claimId: m.claim.id,
      reference: m.claim.reference,
      recipientId: m.claim.recipientId,
      channel: m.claim.channel,
      claimantName: m.claim.claimantName,
      status: m.claim.status,
      items: m.claim.items,
      score: m.score,
      material: m.material,
      reasons: m.reasons,
      overlappingItems: m.overlappingItems,
      viaReference: m.via?.reference ?? null,
      summary: claimSummary(m.claim),
      why: `${Math.round(m.score * 100)} %: ${m.reasons.join('; ')}`,
    })),
  };
}

type Outcome = { ok: true; claim: NewClaim; excludeId?: string } | { ok: false; message: string };

async function claimOf(
  variables: Record<string, unknown>,
  claims: ClaimsRepository,
): Promise<Outcome> {
  if (typeof variables.claimId === 'string') {
    const claim = await claims.get(variables.claimId).catch(() => undefined);
    return claim
      ? { ok: true, claim, excludeId: claim.id }
      : { ok: false, message: `No claim with the id '${variables.claimId}' (variable claimId)` };
  }
  const inline = variables.claim as Partial<NewClaim> | undefined;
  if (inline && typeof inline.claimantName === 'string' && Array.isArray(inline.items)) {
    return {
      ok: true,
      claim: { recipientId: '', channel: '', ...inline } as NewClaim,
      ...(typeof (inline as { id?: unknown }).id === 'string'
        ? { excludeId: (inline as { id: string }).id }
        : {}),
    };
  }
  return {
    ok: false,
    message:
      'The similarity check needs the variable claimId (a stored claim) or claim (with claimantName and items)',
  };
}

export function startSimilarityCheckWorker(options: SimilarityCheckWorkerOptions) {
  const check = new SimilarityCheck(options.pool);
  const claims = new ClaimsRepository(options.pool);
  return options.zeebe.createWorker({
    taskType: options.taskType ?? SIMILARITY_CHECK_JOB_TYPE,
    timeout: 30_000,
    taskHandler: async (job) => {
      const input = await claimOf(job.variables as Record<string, unknown>, claims);
      if (!input.ok) return job.fail({ errorMessage: input.message, retries: 0 });
      const result = await check.run(input.claim, { excludeId: input.excludeId });
      await options.onChecked?.(job.variables as Record<string, unknown>, result);
      return job.complete({ similarity: similarityVariable(result) } as never);
    },
  });
}
