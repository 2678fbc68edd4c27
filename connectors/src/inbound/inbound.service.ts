/**
 * Intake: takes a `NewInboundItem` from any channel, checks it, stores its documents in the
 * content store and the item in PostgreSQL, and hands it to a process.
 *
 * Promises: `receive` resolves only after the item is committed (documents first, then one
 * transaction for the item and its attachment rows), so a channel acknowledges only what is
 * stored; it rejects with `InboundRejectedError` before anything is stored when the item breaks
 * a rule (unknown recipient, too many or too large attachments). Documents are never
 * overwritten. Delivery into the process follows the commit and is retried while it fails.
 *
 *   const intake = new InboundService({ items, recipients, store, dispatcher, logger });
 *   const { item } = await intake.receive(newItem);
 */
import type { Logger } from 'pino';
import type { ContentStore } from './content-store.js';
import type { InboundItem, NewInboundItem, StoredAttachment } from './inbound-item.js';
import type { InboundItemRepository } from './inbound-item.repository.js';
import { detectLanguage } from './language.js';
import type { ItemStatus } from './item-status.js';
import type { DispatchOutcome, ProcessDispatcher } from './process-dispatcher.js';
import type { RecipientsRepository } from './recipients.repository.js';

export interface InboundLimits {
  /** @default 10 */
  readonly maxAttachments: number;
  /** largest single attachment. @default 10 MiB */
  readonly maxAttachmentBytes: number;
}

export const DEFAULT_INBOUND_LIMITS: InboundLimits = {
  maxAttachments: 10,
  maxAttachmentBytes: 10 * 1024 * 1024,
};

export type RejectionReason =
  'unknown_recipient' | 'too_many_attachments' | 'attachment_too_large' | 'malformed';

/** Thrown by `receive` when an item breaks an intake rule; nothing of it was stored. */
export class InboundRejectedError extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'InboundRejectedError';
  }
}

export interface InboundServiceOptions {
  readonly items: InboundItemRepository;
  readonly recipients: RecipientsRepository;
  readonly store: ContentStore;
  /** no dispatcher: items stay pending (intake without a process, e.g. in tests) */
  readonly dispatcher?: ProcessDispatcher;
  readonly logger: Logger;
  readonly limits?: Partial<InboundLimits>;
  /** where "received" is written for status at a button press */
  readonly status?: ItemStatus;
}

export interface Received {
  readonly item: InboundItem;
  /** the channel delivered this item before; the earlier item is returned */
  readonly duplicate: boolean;
  /** settles when the item was handed to a process (or stayed pending) */
  readonly dispatched: Promise<DispatchOutcome | undefined>;
}

export class InboundService {
  readonly limits: InboundLimits;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: InboundServiceOptions) {
    this.limits = { ...DEFAULT_INBOUND_LIMITS, ...options.limits };
  }

  /** Checks an item against the rules without storing anything; throws `InboundRejectedError`. */
  async check(item: Pick<NewInboundItem, 'recipientId' | 'attachments'>): Promise<void> {
    if (!(await this.options.recipients.get(item.recipientId))) {
      throw new InboundRejectedError(
        'unknown_recipient',
        `No recipient '${item.recipientId}': items are accepted only for configured recipients`,
      );
    }
    if (item.attachments.length > this.limits.maxAttachments) {
      throw new InboundRejectedError(
        'too_many_attachments',
        `${item.attachments.length} attachments; at most ${this.limits.maxAttachments} are accepted`,
      );
    }
    for (const a of item.attachments) {
      if (a.content.length > this.limits.maxAttachmentBytes) {
        throw new InboundRejectedError(
          'attachment_too_large',
          `Attachment '${a.filename}' has ${a.content.length} bytes; at most ${this.limits.maxAttachmentBytes} are accepted`,
        );
      }
    }
  }

  async receive(newItem: NewInboundItem): Promise<Received> {
    await this.check(newItem);
    const { store, items, dispatcher, logger } = this.options;
    // Documents first: a crash after this leaves unreferenced files (harmless, content-
    // addressed), never a row that points at a missing file.
    const raw = await store.put(newItem.raw.content);
    const attachments: StoredAttachment[] = [];
    for (const [position, a] of newItem.attachments.entries()) {
      const stored = await store.put(a.content);
      attachments.push({ position, filename: a.filename, contentType: a.contentType, ...stored });
    }
    const language =
      newItem.language ?? detectLanguage(`${newItem.subject ?? ''}\n${newItem.bodyText}`);
    const { item, duplicate } = await items.insert({
      channel: newItem.channel,
      recipientId: newItem.recipientId,
      sender: newItem.sender,
      receivedAt: newItem.receivedAt,
      subject: newItem.subject,
      bodyText: newItem.bodyText,
      language,
      raw: { ...raw, contentType: newItem.raw.contentType },
      channelMessageId: newItem.channelMessageId,
      attachments,
    });
    if (!duplicate) {
      await this.options.status?.append(
        item.id,
        'received',
        `${item.channel} for ${item.recipientId}`,
      );
    }
    logger.info(
      { item: item.reference, channel: item.channel, recipient: item.recipientId, duplicate },
      duplicate ? 'inbound item delivered again' : 'inbound item stored',
    );
    const dispatched =
      dispatcher && !duplicate ? dispatcher.dispatch(item) : Promise.resolve(undefined);
    this.inFlight.add(dispatched);
    void dispatched.finally(() => this.inFlight.delete(dispatched));
    return { item, duplicate, dispatched };
  }

  /** Waits for deliveries in progress. */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
