/**
 * The job workers of the duplicate-claim escalation process, on any Zeebe gateway:
 * - `kontor:claim-extract`: takes the inbound item for its instance (a second instance started
 *   for the same item — possible after a crash between start and bookkeeping — is canceled),
 *   then the claim out of the item (rules in claim-extraction.ts), the recipient's office group,
 *   where to reply, and the escalation SLA;
 * - `kontor:claim-register`: stores the claim (`claimId`, `claimReference`);
 * - `kontor:similarity-check`: see ../similarity;
 * - `kontor:claim-decision`, `kontor:claim-merge`: what the escalation decided, done to the
 *   claims (claim-decision.workers.ts);
 * - `kontor:claimant-notify`: answers the claimant on the channel the claim came from
 *   (claimant-answer.ts composes, claimant-delivery.ts sends): e-mail, the status page, a
 *   letter in the outbox, a fax through the fax gateway; `notification.answered` is false when
 *   no way was known, and the office answers by hand;
 * - `kontor:claimant-answered-by-hand`: records how the office answered.
 *
 *   const workers = startDuplicateClaimWorkers({ zeebe, pool,
 *     smtpRelay: { host: 'relay', port: 25, from: 'intake@kontor.example' },
 *     faxGatewayDomain: 'fax.example', letterOutbox: '/srv/letters', contentStore });
 *   await workers.close();
 */
import type { Zeebe } from '@camunda8/sdk';
import { InboundItemRepository, ItemStatus, type ContentStore } from '@kontor/connectors';
import type pg from 'pg';
import { claimSummary, type NewClaim } from '../similarity/claim.js';
import { ClaimsRepository } from '../similarity/claims.repository.js';
import { startSimilarityCheckWorker } from '../similarity/similarity-check.worker.js';
import { startClaimDecisionWorkers } from './claim-decision.workers.js';
import { extractClaim } from './claim-extraction.js';
import { composeAnswer, postalAddress } from './claimant-answer.js';
import { answerRoute, ClaimantDelivery, faxNumberOf, type SmtpRelay } from './claimant-delivery.js';

export interface DuplicateClaimWorkersOptions {
  readonly zeebe: Zeebe.ZeebeGrpcClient;
  readonly pool: pg.Pool;
  /** none: an answer by e-mail or fax fails with an incident that says so (never silently dropped) */
  readonly smtpRelay?: SmtpRelay;
  /** domain of the e-mail-to-fax gateway (faxes go to `<digits>@<domain>`); none: a faxed answer fails with an incident */
  readonly faxGatewayDomain?: string;
  /** folder answer letters are dropped into for printing; none: a letter fails with an incident */
  readonly letterOutbox?: string;
  /** where answer letters and faxes are stored (the intake's content store); needed for both */
  readonly contentStore?: ContentStore;
  /** how long the escalation group has to decide, ISO 8601. @default 'PT48H' */
  readonly escalationSla?: string;
  /** where claimants open the web app, for the status link in answers (e.g. https://kontor.example) */
  readonly publicUrl?: string;
}

interface InboundItemVariable {
  id: string;
  reference: string;
  channel: string;
  recipientId: string;
  /** `fax`: the sending number as the fax server told the intake; else read from the fax's text */
  sender: { name?: string; email?: string; address?: string; fax?: string };
  subject?: string | null;
  bodyText: string;
  language?: string | null;
}

type Variables = Record<string, unknown>;

export function startDuplicateClaimWorkers(options: DuplicateClaimWorkersOptions): {
  close(): Promise<void>;
} {
  const { zeebe, pool } = options;
  const claims = new ClaimsRepository(pool);
  // status at a button press (connectors' inbound_status_event): what the claimant and the
  // offices see of the case
  const itemStatus = new ItemStatus(pool);
  const status = (variables: Variables, value: string, detail?: string) => {
    const item = variables.inboundItem as InboundItemVariable | undefined;
    return item ? itemStatus.append(item.id, value, detail) : Promise.resolve();
  };
  const delivery = new ClaimantDelivery({
    pool,
    itemStatus,
    smtpRelay: options.smtpRelay,
    faxGatewayDomain: options.faxGatewayDomain,
    letterOutbox: options.letterOutbox,
    contentStore: options.contentStore,
  });
  const decisions = startClaimDecisionWorkers({ zeebe, pool });
  const inboundItems = new InboundItemRepository(pool);

  const extract = zeebe.createWorker({
    taskType: 'kontor:claim-extract',
    taskHandler: async (job) => {
      const item = (job.variables as Variables).inboundItem as InboundItemVariable | undefined;
      if (!item) {
        return job.fail({ errorMessage: 'The variable inboundItem is missing', retries: 0 });
      }
      const owner = await inboundItems.takeForInstance(item.id, job.processInstanceKey);
      if (owner !== undefined && owner !== job.processInstanceKey) {
        await itemStatus.append(
          item.id,
          'second start stopped',
          `instance ${job.processInstanceKey} canceled; instance ${owner} handles the item`,
        );
        // Not job.cancelWorkflow(): it never frees the worker's slot, so close() would wait
        // forever. The completion after the cancel answers NOT_FOUND and frees it.
        await zeebe.cancelProcessInstance(job.processInstanceKey);
        return job.complete();
      }
      const { rows } = await pool.query<{ office_group: string; name: string }>(
        'SELECT office_group, name FROM inbound_recipient WHERE id = $1',
        [item.recipientId],
      );
      const extraction = extractClaim(item);
      const claim = {
        recipientId: item.recipientId,
        channel: item.channel,
        inboundItemId: item.id,
        ...extraction.claim,
      };
      return job.complete({
        claim,
        // flat, so that the completion form shows what was found
        claimantName: claim.claimantName ?? null,
        birthDate: claim.birthDate ?? null,
        street: claim.street ?? null,
        postalCode: claim.postalCode ?? null,
        city: claim.city ?? null,
        items: claim.items,
        extraction: { complete: extraction.complete, missing: extraction.missing },
        officeGroup: rows[0]?.office_group ?? 'central-intake',
        recipientName: rows[0]?.name ?? item.recipientId,
        replyTo: item.sender.email ?? null,
        escalationSla: options.escalationSla ?? 'PT48H',
      } as never);
    },
  });

  const register = zeebe.createWorker({
    taskType: 'kontor:claim-register',
    taskHandler: async (job) => {
      const claim = (job.variables as Variables).claim as NewClaim | undefined;
      if (!claim?.claimantName || !Array.isArray(claim.items) || claim.items.length === 0) {
        return job.fail({
          errorMessage: 'The variable claim needs claimantName and at least one item',
          retries: 0,
        });
      }
      const stored = await claims.insert({
        ...claim,
        birthDate: claim.birthDate || undefined,
        street: claim.street || undefined,
        postalCode: claim.postalCode || undefined,
        city: claim.city || undefined,
      });
      await status(job.variables as Variables, 'claim registered', stored.reference);
      return job.complete({
        claimId: stored.id,
        claimReference: stored.reference,
        claimSummary: claimSummary(stored),
      } as never);
    },
  });

  const similarity = startSimilarityCheckWorker({
    zeebe,
    pool,
    onChecked: (variables, result) =>
      result.duplicate
        ? status(
            variables,
            'with the escalation team',
            `possibly claimed before: ${result.matches[0].claim.reference} to ${result.matches[0].claim.recipientId}`,
          )
        : status(variables, 'with the office', String(variables.recipientName ?? '')),
  });

  const notify = zeebe.createWorker({
    taskType: 'kontor:claimant-notify',
    taskHandler: async (job) => {
      const v = job.variables as Variables;
      const item = v.inboundItem as InboundItemVariable;
      // the stored claim, where the completion task may have corrected the address
      const stored = typeof v.claimId === 'string' ? await claims.get(v.claimId) : undefined;
      const claim =
        stored ??
        (v as { claimantName?: string; street?: string; postalCode?: string; city?: string });
      const answer = composeAnswer({
        outcome: String(v.outcome ?? 'accepted'),
        language: item.language,
        claimantName: (v.claimantName as string | null) ?? claim.claimantName,
        itemReference: item.reference,
        statusToken: await itemStatus.tokenFor(item.reference),
        publicUrl: options.publicUrl,
        senderName: String(v.recipientName ?? item.recipientId),
        mergedInto: (v.merge as { survivingReference?: string } | undefined)?.survivingReference,
      });
      const route = answerRoute({
        channel: item.channel,
        email: (v.replyTo as string | null) ?? item.sender.email,
        messageId: item.channel === 'email' ? await messageIdOf(pool, item.id) : undefined,
        faxNumber: faxNumberOf(item),
        address: postalAddress(claim),
      });
      const outcome = await delivery.deliver(route, answer, {
        item,
        elementInstanceKey: job.elementInstanceKey,
      });
      if (!outcome.ok) return job.fail({ errorMessage: outcome.message, retries: 0 });
      return job.complete({ notification: outcome.notification } as never);
    },
  });

  const answeredByHand = zeebe.createWorker({
    taskType: 'kontor:claimant-answered-by-hand',
    taskHandler: async (job) => {
      const v = job.variables as Variables;
      await status(
        v,
        'answered',
        `${String(v.outcome ?? 'accepted')} (by hand: ${String(v.answeredHow ?? '')})`,
      );
      return job.complete();
    },
  });

  return {
    async close() {
      await Promise.all([
        extract.close(),
        register.close(),
        similarity.close(),
        decisions.close(),
        notify.close(),
        answeredByHand.close(),
      ]);
      delivery.close();
    },
  };
}

/** The original Message-ID of an e-mail item, which the answer refers to. */
async function messageIdOf(pool: pg.Pool, itemId: string): Promise<string | undefined> {
  const { rows } = await pool.query<{ channel_message_id: string | null }>(
    'SELECT channel_message_id FROM inbound_item WHERE id = $1',
    [itemId],
  );
  return rows[0]?.channel_message_id ?? undefined;
}
