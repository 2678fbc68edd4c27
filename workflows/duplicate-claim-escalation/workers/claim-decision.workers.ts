/**
 * The job workers that carry out the escalation's decision (see `claim-decisions.service.ts`):
 * - `kontor:claim-decision` (input `claimId`, `outcome` = reject | merge | allow, optional
 *   `decisionNote`): records the decision once; reject marks the claim rejected;
 * - `kontor:claim-merge` (input `claimId`, `earlierClaimId`): merges the claim into the earlier
 *   one; output `merge` = { survivingClaimId, survivingReference, survivingRecipientId,
 *   itemsAdded, mergedBy, mergedAt }.
 * Both are idempotent, so a retried job changes nothing. An input that names no claim, an
 * unknown decision or a merge that cannot be (into a rejected claim, into itself) fails the job
 * without retries: an incident that says which.
 *
 *   const workers = startClaimDecisionWorkers({ zeebe, pool });
 *   await workers.close();
 */
import type { Zeebe } from '@camunda8/sdk';
import type pg from 'pg';
import {
  ClaimDecisions,
  ESCALATION_DECISIONS,
  type EscalationDecision,
} from './claim-decisions.service.js';

export const CLAIM_DECISION_JOB_TYPE = 'kontor:claim-decision';
export const CLAIM_MERGE_JOB_TYPE = 'kontor:claim-merge';

type Variables = Record<string, unknown>;

export function startClaimDecisionWorkers(options: {
  zeebe: Zeebe.ZeebeGrpcClient;
  pool: pg.Pool;
}): {
  close(): Promise<void>;
} {
  const decisions = new ClaimDecisions(options.pool);

  const decide = options.zeebe.createWorker({
    taskType: CLAIM_DECISION_JOB_TYPE,
    taskHandler: async (job) => {
      const v = job.variables as Variables;
      if (typeof v.claimId !== 'string') {
        return job.fail({
          errorMessage: 'The variable claimId (the claim decided on) is missing',
          retries: 0,
        });
      }
      if (!ESCALATION_DECISIONS.includes(v.outcome as EscalationDecision)) {
        return job.fail({
          errorMessage: `The variable outcome must be one of ${ESCALATION_DECISIONS.join(', ')}; it is ${JSON.stringify(v.outcome ?? null)}`,
          retries: 0,
        });
      }
      const outcome = await decisions.record({
        claimId: v.claimId,
        decision: v.outcome as EscalationDecision,
        processInstanceKey: job.processInstanceKey,
        note:
          typeof v.decisionNote === 'string' && v.decisionNote.trim()
            ? v.decisionNote.trim()
            : null,
      });
      if (!outcome.ok) return job.fail({ errorMessage: outcome.message, retries: 0 });
      return job.complete({
        decidedBy: outcome.decision.decidedBy,
        decidedAt: outcome.decision.decidedAt.toISOString(),
      } as never);
    },
  });

  const merge = options.zeebe.createWorker({
    taskType: CLAIM_MERGE_JOB_TYPE,
    taskHandler: async (job) => {
      const v = job.variables as Variables;
      if (typeof v.claimId !== 'string' || typeof v.earlierClaimId !== 'string') {
        return job.fail({
          errorMessage:
            'A merge needs the variables claimId (the claim to merge) and earlierClaimId (the claim it duplicates)',
          retries: 0,
        });
      }
      const outcome = await decisions.merge({
        claimId: v.claimId,
        intoClaimId: v.earlierClaimId,
        processInstanceKey: job.processInstanceKey,
      });
      if (!outcome.ok) return job.fail({ errorMessage: outcome.message, retries: 0 });
      const m = outcome.merge;
      return job.complete({
        merge: {
          survivingClaimId: m.survivingClaimId,
          survivingReference: m.survivingReference,
          survivingRecipientId: m.survivingRecipientId,
          itemsAdded: m.itemsAdded,
          mergedBy: m.mergedBy,
          mergedAt: m.mergedAt.toISOString(),
        },
      } as never);
    },
  });

  return {
    async close() {
      await Promise.all([decide.close(), merge.close()]);
    },
  };
}
