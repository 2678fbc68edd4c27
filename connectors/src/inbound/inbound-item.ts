/**
 * The one shape of everything that arrives: an inbound item. Every channel (e-mail, web form,
 * post, fax) turns what it received into a `NewInboundItem`; the inbound service stores it and
 * hands it to a process. Nothing downstream knows which channel an item came from except by its
 * `channel` field.
 *
 *   const item: NewInboundItem = {
 *     channel: 'email', recipientId: 'christkind', receivedAt: new Date(),
 *     sender: { name: 'Anna Müller', email: 'anna@example.org' },
 *     subject: 'Wunschzettel', bodyText: 'Liebes Christkind, ...',
 *     raw: { content: rfc822, contentType: 'message/rfc822' }, attachments: [],
 *   };
 */

export type InboundChannel = 'email' | 'web' | 'post' | 'fax';

export const INBOUND_CHANNELS: readonly InboundChannel[] = ['email', 'web', 'post', 'fax'];

/** Who sent an item, as far as the channel tells. */
export interface SenderIdentity {
  readonly name?: string;
  readonly email?: string;
  /** postal address as one text, lines separated by newlines */
  readonly address?: string;
  /** the number a fax came from, as the fax server tells it */
  readonly fax?: string;
}

/** A document that came with an item, before it is stored. */
export interface IncomingAttachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** What a channel hands to the inbound service. */
export interface NewInboundItem {
  readonly channel: InboundChannel;
  readonly recipientId: string;
  readonly sender: SenderIdentity;
  readonly receivedAt: Date;
  readonly subject?: string;
  readonly bodyText: string;
  /** ISO 639-1 code; detected from subject and body when not given */
  readonly language?: string;
  readonly attachments: readonly IncomingAttachment[];
  /** the original exactly as received */
  readonly raw: { readonly content: Buffer; readonly contentType: string };
  /** identifies a repeated delivery of the same item (Message-ID, submission id) */
  readonly channelMessageId?: string;
}

/** A stored attachment: its bytes are in the content store under `sha256`. */
export interface StoredAttachment {
  readonly position: number;
  readonly filename: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
}

export type DispatchState = 'pending' | 'started' | 'correlated';

/** An inbound item as stored. */
export interface InboundItem {
  readonly id: string;
  readonly reference: string;
  readonly channel: InboundChannel;
  readonly recipientId: string;
  readonly sender: SenderIdentity;
  readonly receivedAt: Date;
  readonly subject: string | null;
  readonly bodyText: string;
  readonly language: string | null;
  readonly raw: { readonly sha256: string; readonly contentType: string; readonly size: number };
  readonly channelMessageId: string | null;
  readonly attachments: readonly StoredAttachment[];
  readonly dispatch: {
    readonly state: DispatchState;
    readonly attempts: number;
    readonly error: string | null;
    readonly processInstanceKey: string | null;
  };
}

/**
 * The variables a process instance gets for an item: everything but the bytes, which stay in
 * the content store (a process refers to them by SHA-256).
 */
export function itemVariables(item: InboundItem): Record<string, unknown> {
  return {
    inboundItem: {
      id: item.id,
      reference: item.reference,
      channel: item.channel,
      recipientId: item.recipientId,
      sender: item.sender,
      receivedAt: item.receivedAt.toISOString(),
      subject: item.subject,
      bodyText: item.bodyText,
      language: item.language,
      rawSha256: item.raw.sha256,
      attachments: item.attachments,
    },
  };
}
