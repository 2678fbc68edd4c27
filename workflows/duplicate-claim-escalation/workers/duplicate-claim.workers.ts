/**
 * The job workers of the duplicate-claim escalation process, on any Zeebe gateway:
 * - `kontor:claim-extract`: the claim out of the inbound item (rules in claim-extraction.ts),
 *   the recipient's office group, where to reply, and the escalation SLA;
 * - `kontor:claim-register`: stores the claim (`claimId`, `claimReference`);
 * - `kontor:similarity-check`: see ../similarity;
 * - `kontor:claimant-notify`: answers the claimant by e-mail through an SMTP relay (nodemailer)
 *   when the item came with an e-mail address; other channels are recorded as not notified.
 *
 *   const workers = startDuplicateClaimWorkers({ zeebe, pool, smtpRelay: { host: 'relay', port: 25, from: 'intake@kontor.example' } });
 *   await workers.close();
 */
import type { Zeebe } from '@camunda8/sdk';
import { ItemStatus } from '@kontor/connectors';
import nodemailer from 'nodemailer';
import type pg from 'pg';
import { claimSummary, type NewClaim } from '../similarity/claim.js';
import { ClaimsRepository } from '../similarity/claims.repository.js';
import { startSimilarityCheckWorker } from '../similarity/similarity-check.worker.js';
import { extractClaim } from './claim-extraction.js';

export interface SmtpRelay {
  readonly host: string;
  readonly port: number;
  /** sender of the answers */
  readonly from: string;
}

export interface DuplicateClaimWorkersOptions {
  readonly zeebe: Zeebe.ZeebeGrpcClient;
  readonly pool: pg.Pool;
  /** none: an answer by e-mail fails with an incident that says so (never silently dropped) */
  readonly smtpRelay?: SmtpRelay;
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
  sender: { name?: string; email?: string; address?: string };
  subject?: string | null;
  bodyText: string;
  language?: string | null;
}

type Variables = Record<string, unknown>;

const ANSWERS: Record<string, { de: string; en: string }> = {
  accepted: {
    de: 'wir haben deinen Wunschzettel erhalten und bearbeiten ihn.',
    en: 'we received your wish list and are working on it.',
  },
  allow: {
    de: 'wir haben deinen Wunschzettel erhalten und bearbeiten ihn.',
    en: 'we received your wish list and are working on it.',
  },
  merge: {
    de: 'dein Wunschzettel gehört zu einem, den du schon geschickt hast; wir haben beide zusammengeführt.',
    en: 'your wish list belongs to one you sent before; we merged the two.',
  },
  reject: {
    de: 'diesen Wunschzettel hast du schon an eine andere Stelle geschickt; er wird dort bearbeitet, nicht noch einmal hier.',
    en: 'you already sent this wish list elsewhere; it is handled there and not a second time here.',
  },
};

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
  const relay = options.smtpRelay;
  const transport = relay
    ? nodemailer.createTransport({
        host: relay.host,
        port: relay.port,
        secure: false,
        ignoreTLS: true,
      })
    : undefined;

  const extract = zeebe.createWorker({
    taskType: 'kontor:claim-extract',
    taskHandler: async (job) => {
      const item = (job.variables as Variables).inboundItem as InboundItemVariable | undefined;
      if (!item) {
        return job.fail({ errorMessage: 'The variable inboundItem is missing', retries: 0 });
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
      const replyTo = v.replyTo as string | null;
      const decided = String(v.outcome ?? 'accepted');
      if (!replyTo) {
        await status(v, 'decided', decided);
        return job.complete({
          notification: { sent: false, reason: `no e-mail address (channel ${item.channel})` },
        } as never);
      }
      if (!transport || !relay) {
        return job.fail({
          errorMessage: `Cannot answer ${replyTo}: no SMTP relay is configured (KONTOR_SMTP_RELAY_URL)`,
          retries: 0,
        });
      }
      const outcome = String(v.outcome ?? 'accepted');
      const answer = ANSWERS[outcome] ?? ANSWERS.accepted;
      const german = (item.language ?? 'de') === 'de';
      const name = (v.claimantName as string | null) ?? '';
      const token = await itemStatus.tokenFor(item.reference);
      const link = options.publicUrl
        ? `${options.publicUrl.replace(/\/$/, '')}/#/status/${item.reference}/${token}`
        : `${item.reference} / ${token}`;
      const text = german
        ? `Hallo ${name},\n\n${answer.de}\n\nDeine Vorgangsnummer: ${item.reference}\nStand jederzeit: ${link}\n\n${v.recipientName}`
        : `Hello ${name},\n\n${answer.en}\n\nYour reference: ${item.reference}\nStatus at any time: ${link}\n\n${v.recipientName}`;
      const info = await transport.sendMail({
        from: relay.from,
        to: replyTo,
        subject: `${item.subject ? `Re: ${item.subject}` : 'Your wish list'} [${item.reference}]`,
        text,
      });
      await status(v, 'answered', `${decided} (e-mail to ${replyTo})`);
      return job.complete({
        notification: { sent: true, to: replyTo, messageId: info.messageId, outcome },
      } as never);
    },
  });

  return {
    async close() {
      await Promise.all([extract.close(), register.close(), similarity.close(), notify.close()]);
      transport?.close();
    },
  };
}
