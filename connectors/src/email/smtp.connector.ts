/**
 * The e-mail channel: an SMTP server that accepts mail for the recipients' addresses and turns
 * each message into an inbound item (one per addressed recipient).
 *
 * Promises: the sender gets `250` only after every item of the message is stored; every rule
 * the message breaks is answered with an SMTP error before anything is stored — unknown
 * recipient (550 5.1.1, at RCPT TO), message too large (552 5.3.4), too many or too large
 * attachments (552 5.3.4), malformed message (550 5.6.0: no From address, no header block, an
 * unreadable Date). A failure while storing is a temporary error (451 4.3.0) so the sender
 * retries. A repeated delivery (same Message-ID to the same recipient) is accepted and stored
 * once.
 *
 * With a certificate (`tls`) the server offers STARTTLS; with `tls.required` it refuses mail
 * over a connection that did not switch to TLS (530 5.7.0 at MAIL FROM). It does not offer AUTH:
 * it is the recipients' mail exchanger and takes mail from anyone for their addresses only.
 *
 *   const smtp = await startSmtpConnector({ intake, recipients, host: '0.0.0.0', port: 2525, logger });
 *   await smtp.close();
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { IncomingAttachment, NewInboundItem } from '../inbound/inbound-item.js';
import { InboundRejectedError, type InboundService } from '../inbound/inbound.service.js';
import type { RecipientsRepository } from '../inbound/recipients.repository.js';

export interface SmtpConnectorOptions {
  readonly intake: InboundService;
  readonly recipients: RecipientsRepository;
  readonly host: string;
  /** 0: any free port */
  readonly port: number;
  readonly logger: Logger;
  /** largest message accepted, as sent (headers, body and encoded attachments). @default 25 MiB */
  readonly maxMessageBytes?: number;
  /** @default 'kontor' */
  readonly hostname?: string;
  /** certificate and key (PEM) for STARTTLS; none: plain SMTP only */
  readonly tls?: SmtpTls;
}

export interface SmtpTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
  /** refuse mail before STARTTLS. @default false */
  readonly required?: boolean;
}

export interface SmtpConnector {
  readonly port: number;
  close(): Promise<void>;
}

/** An error smtp-server answers with its response code. */
class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'SmtpReply';
  }
}

/** Thrown when the SMTP port cannot be opened. */
export class SmtpListenError extends Error {
  constructor(port: number, host: string, options: { cause: unknown }) {
    super(`The SMTP server cannot listen on ${host}:${port} (KONTOR_SMTP_PORT)`, options);
    this.name = 'SmtpListenError';
  }
}

const REJECTION_CODES = {
  unknown_recipient: 550,
  too_many_attachments: 552,
  attachment_too_large: 552,
  malformed: 550,
} as const;

const ENHANCED = { 550: '5.6.0', 552: '5.3.4' } as const;

export async function startSmtpConnector(options: SmtpConnectorOptions): Promise<SmtpConnector> {
  const log = options.logger.child({ component: 'smtp' });
  const maxMessageBytes = options.maxMessageBytes ?? 25 * 1024 * 1024;
  const { intake, recipients } = options;

  const server = new SMTPServer({
    name: options.hostname ?? 'kontor',
    banner: 'Kontor intake',
    size: maxMessageBytes,
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    logger: false,
    onMailFrom(_address, session, callback) {
      if (options.tls?.required && !session.secure) {
        callback(new SmtpReply(530, '5.7.0 Must issue a STARTTLS command first'));
      } else {
        callback();
      }
    },
    onRcptTo(address, _session, callback) {
      recipients.byEmailAddress(address.address).then(
        (recipient) =>
          recipient
            ? callback()
            : callback(new SmtpReply(550, `5.1.1 <${address.address}>: no such recipient here`)),
        (error: Error) => {
          log.error({ err: error }, 'recipient lookup failed');
          callback(new SmtpReply(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      receiveMessage(stream, session).then(
        (message) => callback(null, message),
        (error: Error) => {
          if (error instanceof SmtpReply) {
            log.info({ code: error.responseCode, reason: error.message }, 'message rejected');
            callback(error);
          } else {
            log.error({ err: error }, 'storing a message failed');
            callback(new SmtpReply(451, '4.3.0 Temporary failure while storing, try again later'));
          }
        },
      );
    },
  });
  server.on('error', (error) => log.warn({ err: error }, 'SMTP connection error'));

  async function receiveMessage(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
  ): Promise<string> {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // Past the limit the rest is read and dropped: the reply comes after the data.
      if (length <= maxMessageBytes) chunks.push(chunk);
      length += chunk.length;
    }
    if (stream.sizeExceeded || length > maxMessageBytes) {
      throw new SmtpReply(
        552,
        `5.3.4 Message too large: at most ${maxMessageBytes} bytes are accepted`,
      );
    }
    const raw = Buffer.concat(chunks);
    const parsed = await parseMessage(raw);
    const attachments: IncomingAttachment[] = parsed.attachments.map((a, i) => ({
      filename: a.filename ?? `attachment-${i + 1}`,
      contentType: a.contentType || 'application/octet-stream',
      content: a.content,
    }));
    const from = firstAddress(parsed.from)!;
    const recipientIds = new Set<string>();
    for (const rcpt of session.envelope.rcptTo) {
      const recipient = await recipients.byEmailAddress(rcpt.address);
      if (recipient) recipientIds.add(recipient.id);
    }
    const items: NewInboundItem[] = [...recipientIds].map((recipientId) => ({
      channel: 'email',
      recipientId,
      sender: { ...(from.name ? { name: from.name } : {}), email: from.address },
      receivedAt: new Date(),
      ...(parsed.subject ? { subject: parsed.subject } : {}),
      bodyText: (parsed.text ?? '').trim(),
      attachments,
      raw: { content: raw, contentType: 'message/rfc822' },
      ...(parsed.messageId ? { channelMessageId: parsed.messageId } : {}),
    }));
    // Every rule is checked for every recipient before the first item is stored.
    try {
      for (const item of items) await intake.check(item);
    } catch (error) {
      if (error instanceof InboundRejectedError) {
        const code = REJECTION_CODES[error.reason];
        throw new SmtpReply(code, `${ENHANCED[code]} ${error.message}`);
      }
      throw error;
    }
    const references: string[] = [];
    for (const item of items) references.push((await intake.receive(item)).item.reference);
    log.info({ from: from.address, references }, 'message accepted');
    return `2.0.0 Accepted as ${references.join(', ')}`;
  }

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(new SmtpListenError(options.port, options.host, { cause: error }));
    server.server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const port = (server.server.address() as { port: number }).port;
  log.info({ port }, 'SMTP server listening');

  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const HEADER_LINE = /^[!-9;-~]+:/;

/** Parses a message, or throws a 550 reply naming what is malformed. */
async function parseMessage(raw: Buffer): Promise<ParsedMail> {
  const firstLine = raw
    .subarray(0, Math.min(raw.length, 1000))
    .toString('latin1')
    .split(/\r?\n/)[0];
  if (!HEADER_LINE.test(firstLine)) {
    throw new SmtpReply(550, '5.6.0 Malformed message: it does not begin with a header block');
  }
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipHtmlToText: false });
  } catch (error) {
    throw new SmtpReply(550, `5.6.0 Malformed message: ${(error as Error).message}`);
  }
  if (!firstAddress(parsed.from)) {
    throw new SmtpReply(550, '5.6.0 Malformed message: no sender address in the From header');
  }
  // mailparser substitutes the current time for an unreadable Date; the raw line tells.
  const dateLine = parsed.headerLines.find((h) => h.key === 'date')?.line;
  if (dateLine && Number.isNaN(Date.parse(dateLine.replace(/^date:\s*/i, '')))) {
    throw new SmtpReply(550, '5.6.0 Malformed message: the Date header is not a date');
  }
  return parsed;
}

function firstAddress(
  from: AddressObject | AddressObject[] | undefined,
): { name: string; address: string } | undefined {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  for (const group of list) {
    for (const entry of group.value) {
      if (entry.address && /^[^@\s]+@[^@\s]+$/.test(entry.address)) {
        return { name: entry.name, address: entry.address };
      }
    }
  }
  return undefined;
}
