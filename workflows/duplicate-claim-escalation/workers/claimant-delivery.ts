/**
 * The answer goes back on the channel the claim came from:
 * - e-mail: a reply to the sender through the SMTP relay, In-Reply-To/References the original
 *   Message-ID;
 * - web form: by e-mail when the form gave an address; else the claimant reads it on the status
 *   page (reference and token were shown at submission) and no mail is pretended;
 * - post: a PDF letter to the claim's postal address, stored content-addressed as an outbound
 *   document of the item and dropped into the letter outbox for printing and dispatch;
 * - fax: the same PDF through an e-mail-to-fax gateway (`<digits>@<gateway domain>` through the
 *   relay); without a fax number a letter when the claim has an address.
 * Where none of these is possible the outcome says so (`answered: false`, a status entry), for
 * the office to answer by hand; never silently. A means that is not configured (no relay, no
 * fax gateway, no outbox) is a failure naming the setting, for an incident.
 *
 * A letter or fax is made once per job element instance: a retried job reuses the stored
 * document and does not drop or send it again once it was handed over.
 *
 *   const route = answerRoute({ channel: 'fax', faxNumber: faxNumberOf(item), address });
 *   const outcome = await delivery.deliver(route, answer, { item, elementInstanceKey });
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ContentStore, ItemStatus } from '@kontor/connectors';
import type { Transporter } from 'nodemailer';
import type pg from 'pg';
import { renderAnswerLetter, type ClaimantAnswer, type LetterAddress } from './claimant-answer.js';
import { relayTransport, type SmtpRelay } from './smtp-relay.js';

export type { SmtpRelay } from './smtp-relay.js';

export type AnswerRoute =
  | { readonly means: 'email'; readonly to: string; readonly inReplyTo?: string }
  | { readonly means: 'status-page' }
  | { readonly means: 'letter'; readonly address: LetterAddress; readonly why?: string }
  | { readonly means: 'fax'; readonly number: string; readonly digits: string }
  | { readonly means: 'none'; readonly reason: string };

export interface RouteInput {
  readonly channel: string;
  /** the sender's e-mail address (e-mail channel) or the one the web form gave */
  readonly email?: string | null;
  /** the original Message-ID of an e-mail */
  readonly messageId?: string | null;
  readonly faxNumber?: string | null;
  /** the claim's postal address */
  readonly address?: LetterAddress;
}

/** How to answer, by the channel the item came on and what is known of the claimant. */
export function answerRoute(input: RouteInput): AnswerRoute {
  switch (input.channel) {
    case 'email':
      return input.email
        ? {
            means: 'email',
            to: input.email,
            ...(input.messageId ? { inReplyTo: input.messageId } : {}),
          }
        : { means: 'none', reason: 'the e-mail came without a sender address' };
    case 'web':
      return input.email ? { means: 'email', to: input.email } : { means: 'status-page' };
    case 'post':
      return input.address
        ? { means: 'letter', address: input.address }
        : { means: 'none', reason: 'no postal address is known for the letter' };
    case 'fax': {
      const digits = input.faxNumber ? faxDigits(input.faxNumber) : '';
      if (digits.length >= 5) return { means: 'fax', number: input.faxNumber!, digits };
      return input.address
        ? { means: 'letter', address: input.address, why: 'no fax number is known' }
        : { means: 'none', reason: 'neither a fax number nor a postal address is known' };
    }
    default:
      return { means: 'none', reason: `no answer is made on the channel '${input.channel}'` };
  }
}

const FAX_LABEL =
  /(?:tele)?fax(?:\s*-?\s*(?:nummer|nr\.?|no\.?|number|von|from))?\s*[:.]?\s*(\+?\d[\d /().-]{4,}\d)/i;

/**
 * The sender's fax number: the item's sender when the intake knew it, else a labelled number in
 * the fax's text ("Fax: +49 89 1234567", "Fax von 089 …"), as fax servers and letterheads print it.
 */
export function faxNumberOf(item: {
  readonly sender: { readonly fax?: string };
  readonly bodyText: string;
}): string | undefined {
  if (item.sender.fax?.trim()) return item.sender.fax.trim();
  return FAX_LABEL.exec(item.bodyText)?.[1].trim();
}

/** The number as the gateway's address wants it: digits only, international without 00 or +. */
export const faxDigits = (number: string): string => number.replace(/\D/g, '').replace(/^00/, '');

export interface DeliveryOptions {
  readonly pool: pg.Pool;
  readonly itemStatus: ItemStatus;
  /** none: answers by e-mail and fax fail with an incident that names KONTOR_SMTP_RELAY_URL */
  readonly smtpRelay?: SmtpRelay;
  /** the e-mail-to-fax gateway's domain; none: faxed answers fail naming KONTOR_FAX_GATEWAY_DOMAIN */
  readonly faxGatewayDomain?: string;
  /** folder the letters are dropped into for printing; none: letters fail naming KONTOR_LETTER_OUTBOX */
  readonly letterOutbox?: string;
  /** where letters and faxes are kept (the intake's content store); needed for both */
  readonly contentStore?: ContentStore;
}

export interface DeliveryContext {
  readonly item: {
    readonly id: string;
    readonly reference: string;
    readonly subject?: string | null;
  };
  /** the notify job's element instance: one letter or fax per element instance */
  readonly elementInstanceKey: string;
}

export type DeliveryOutcome =
  | { readonly ok: true; readonly notification: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

interface DocumentRow {
  id: string;
  sha256: string;
  filename: string;
  state: 'rendered' | 'handed-over';
  handed_to: string | null;
}

export class ClaimantDelivery {
  private readonly transport: Transporter | undefined;

  constructor(private readonly options: DeliveryOptions) {
    const relay = options.smtpRelay;
    this.transport = relay ? relayTransport(relay) : undefined;
  }

  async deliver(
    route: AnswerRoute,
    answer: ClaimantAnswer,
    context: DeliveryContext,
  ): Promise<DeliveryOutcome> {
    switch (route.means) {
      case 'email':
        return this.email(route, answer, context);
      case 'status-page':
        await this.status(context, 'answered', `${answer.outcome} (on the status page)`);
        return {
          ok: true,
          notification: {
            answered: true,
            means: 'status-page',
            sent: false,
            outcome: answer.outcome,
            note: 'answered on the status page',
          },
        };
      case 'letter':
        return this.letter(route, answer, context);
      case 'fax':
        return this.fax(route, answer, context);
      case 'none':
        await this.status(
          context,
          'not answered',
          `${answer.outcome}: ${route.reason}; the office answers by hand`,
        );
        return {
          ok: true,
          notification: {
            answered: false,
            means: 'none',
            sent: false,
            outcome: answer.outcome,
            reason: route.reason,
            text: answer.text,
          },
        };
    }
  }

  close(): void {
    this.transport?.close();
  }

  private async email(
    route: Extract<AnswerRoute, { means: 'email' }>,
    answer: ClaimantAnswer,
    context: DeliveryContext,
  ): Promise<DeliveryOutcome> {
    const relay = this.options.smtpRelay;
    if (!this.transport || !relay) {
      return {
        ok: false,
        message: `Cannot answer ${route.to}: no SMTP relay is configured (KONTOR_SMTP_RELAY_URL)`,
      };
    }
    const subject = context.item.subject ? `Re: ${context.item.subject}` : 'Your wish list';
    const info = await this.transport.sendMail({
      from: relay.from,
      to: route.to,
      subject: `${subject} [${context.item.reference}]`,
      text: answer.text,
      ...(route.inReplyTo ? { inReplyTo: route.inReplyTo, references: route.inReplyTo } : {}),
    });
    await this.status(context, 'answered', `${answer.outcome} (e-mail to ${route.to})`);
    return {
      ok: true,
      notification: {
        answered: true,
        means: 'email',
        sent: true,
        to: route.to,
        messageId: info.messageId,
        outcome: answer.outcome,
      },
    };
  }

  private async letter(
    route: Extract<AnswerRoute, { means: 'letter' }>,
    answer: ClaimantAnswer,
    context: DeliveryContext,
  ): Promise<DeliveryOutcome> {
    const { letterOutbox: outbox, contentStore: store } = this.options;
    if (!outbox || !store) {
      return {
        ok: false,
        message: `Cannot prepare the answer letter to ${route.address.name}: no letter outbox is configured (KONTOR_LETTER_OUTBOX)`,
      };
    }
    const destination = [route.address.name, ...route.address.lines].join('\n');
    const document = await this.document(
      'letter',
      destination,
      answer,
      route.address,
      context,
      store,
    );
    let file = document.handed_to;
    if (document.state === 'rendered') {
      file = path.join(outbox, document.filename);
      await dropInto(file, await store.get(document.sha256));
      await this.handedOver(document, file, context, 'letter prepared for dispatch', [
        answer.outcome,
        `to ${destination.replace(/\n/g, ', ')}`,
        ...(route.why ? [route.why] : []),
        document.filename,
      ]);
    }
    return {
      ok: true,
      notification: {
        answered: true,
        means: 'letter',
        sent: false,
        outcome: answer.outcome,
        address: destination,
        document: { sha256: document.sha256, filename: document.filename },
        outboxFile: file,
        ...(route.why ? { why: route.why } : {}),
      },
    };
  }

  private async fax(
    route: Extract<AnswerRoute, { means: 'fax' }>,
    answer: ClaimantAnswer,
    context: DeliveryContext,
  ): Promise<DeliveryOutcome> {
    const { faxGatewayDomain: domain, smtpRelay: relay, contentStore: store } = this.options;
    if (!domain) {
      return {
        ok: false,
        message: `Cannot fax the answer to ${route.number}: no fax gateway is configured (KONTOR_FAX_GATEWAY_DOMAIN)`,
      };
    }
    if (!this.transport || !relay) {
      return {
        ok: false,
        message: `Cannot fax the answer to ${route.number}: no SMTP relay is configured (KONTOR_SMTP_RELAY_URL), through which the fax gateway is reached`,
      };
    }
    if (!store) {
      return {
        ok: false,
        message: `Cannot fax the answer to ${route.number}: no content store for the document`,
      };
    }
    const to = `${route.digits}@${domain}`;
    const document = await this.document('fax', route.number, answer, undefined, context, store);
    if (document.state === 'rendered') {
      await this.transport.sendMail({
        from: relay.from,
        to,
        subject: answer.subject,
        text: answer.referenceLine,
        attachments: [
          {
            filename: document.filename,
            content: await store.get(document.sha256),
            contentType: 'application/pdf',
          },
        ],
      });
      await this.handedOver(document, to, context, 'answered', [
        `${answer.outcome} (fax to ${route.number})`,
      ]);
    }
    return {
      ok: true,
      notification: {
        answered: true,
        means: 'fax',
        sent: true,
        outcome: answer.outcome,
        to: route.number,
        gateway: to,
        document: { sha256: document.sha256, filename: document.filename },
      },
    };
  }

  /** The element instance's document: the one made before, or rendered and stored now. */
  private async document(
    kind: 'letter' | 'fax',
    destination: string,
    answer: ClaimantAnswer,
    address: LetterAddress | undefined,
    context: DeliveryContext,
    store: ContentStore,
  ): Promise<DocumentRow> {
    const existing = await this.options.pool.query<DocumentRow>(
      `SELECT id, sha256, filename, state, handed_to FROM outbound_document
        WHERE inbound_item_id = $1 AND element_instance_key = $2`,
      [context.item.id, context.elementInstanceKey],
    );
    if (existing.rows[0]) return existing.rows[0];
    // a fax has no window envelope; its address field names the number it goes to
    const pdf = await renderAnswerLetter(
      answer,
      address ?? { name: answer.claimantName, lines: [`Fax ${destination}`] },
      new Date(),
    );
    const { sha256, size } = await store.put(pdf);
    const filename = `${context.item.reference}-${kind === 'fax' ? 'fax' : 'letter'}-${sha256.slice(0, 12)}.pdf`;
    const { rows } = await this.options.pool.query<DocumentRow>(
      `INSERT INTO outbound_document (inbound_item_id, element_instance_key, kind, filename,
         content_type, size, sha256, destination)
       VALUES ($1, $2, $3, $4, 'application/pdf', $5, $6, $7)
       ON CONFLICT (inbound_item_id, element_instance_key) DO NOTHING
       RETURNING id, sha256, filename, state, handed_to`,
      [context.item.id, context.elementInstanceKey, kind, filename, size, sha256, destination],
    );
    // a concurrent run of the same job stored its own first: use that one
    return rows[0] ?? (await this.document(kind, destination, answer, address, context, store));
  }

  /** The document handed over and its status step, in one transaction. */
  private async handedOver(
    document: DocumentRow,
    handedTo: string,
    context: DeliveryContext,
    status: string,
    detail: string[],
  ): Promise<void> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `UPDATE outbound_document SET state = 'handed-over', handed_to = $2, handed_over_at = now()
          WHERE id = $1`,
        [document.id, handedTo],
      );
      await client.query(
        'INSERT INTO inbound_status_event (inbound_item_id, status, detail) VALUES ($1, $2, $3)',
        [context.item.id, status, detail.join('; ')],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private status(context: DeliveryContext, status: string, detail: string): Promise<void> {
    return this.options.itemStatus.append(context.item.id, status, detail);
  }
}

/**
 * Puts `content` at `file` whole or not at all (printers watching the outbox never see half a
 * letter), and leaves a file already there alone.
 */
async function dropInto(file: string, content: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const partial = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  await fs.writeFile(partial, content);
  try {
    await fs.link(partial, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(partial, { force: true });
  }
}
