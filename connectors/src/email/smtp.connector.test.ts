// The e-mail channel as a sender sees it: real mail sent with nodemailer over SMTP to Kontor's
// SMTP server, stored in PostgreSQL and the content store, handed to the engine through the
// Zeebe gateway. Every rejection is an SMTP error to the sender with nothing stored.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import {
  eventually,
  INTAKE_TEST_BPMN,
  startIntakeHarness,
  type IntakeHarness,
} from '../testing/intake-harness.js';
import { startSmtpConnector, type SmtpConnector } from './smtp.connector.js';

const MAX_MESSAGE_BYTES = 200_000;
const MAX_ATTACHMENT_BYTES = 50_000;

let intake: IntakeHarness;
let smtp: SmtpConnector;
let transport: Transporter<SMTPTransport.SentMessageInfo>;

beforeAll(async () => {
  intake = await startIntakeHarness({
    limits: { maxAttachments: 3, maxAttachmentBytes: MAX_ATTACHMENT_BYTES },
  });
  await intake.zeebe.deployResource({
    process: Buffer.from(INTAKE_TEST_BPMN),
    name: 'intake-test.bpmn',
  });
  smtp = await startSmtpConnector({
    intake: intake.service,
    recipients: intake.recipients,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
    maxMessageBytes: MAX_MESSAGE_BYTES,
  });
  transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
  });
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await intake?.stop();
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const itemCount = async () =>
  (
    await intake.gateway.database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_item',
    )
  ).rows[0].n;

/** A wish-list mail; override what the test is about. */
function aWishListMail(overrides: SendMailOptions = {}): SendMailOptions {
  return {
    from: '"Jonas Schäfer" <jonas.schaefer@example.org>',
    to: 'christkind@intake.example',
    subject: 'Mein Wunschzettel',
    text: 'Liebes Christkind, ich wünsche mir eine Eisenbahn und ein Buch über Dinosaurier.',
    ...overrides,
  };
}

/** Sends and returns the SMTP error the server answered with. */
async function rejection(
  mail: SendMailOptions,
): Promise<{ responseCode?: number; response?: string }> {
  const error = await transport.sendMail(mail).then(
    () => undefined,
    (e: unknown) => e as { responseCode?: number; response?: string },
  );
  expect(error, 'the server should have rejected the mail').toBeDefined();
  return error!;
}

describe('accepted mail', () => {
  it('becomes an inbound item with text, sender, attachments and the raw message, and starts a process', async () => {
    // given
    const drawing = Buffer.from('\x89PNG drawing of a train');

    // when
    const info = await transport.sendMail(
      aWishListMail({
        attachments: [{ filename: 'eisenbahn.png', content: drawing, contentType: 'image/png' }],
      }),
    );

    // then
    expect(info.response).toMatch(/^250 .*Accepted as IN-/);
    const reference = /IN-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(info.response)![0];
    const item = (await intake.items.byReference(reference))!;
    expect(item).toMatchObject({
      channel: 'email',
      recipientId: 'christkind',
      sender: { name: 'Jonas Schäfer', email: 'jonas.schaefer@example.org' },
      subject: 'Mein Wunschzettel',
      bodyText: 'Liebes Christkind, ich wünsche mir eine Eisenbahn und ein Buch über Dinosaurier.',
      language: 'de',
      channelMessageId: info.messageId,
      attachments: [
        {
          position: 0,
          filename: 'eisenbahn.png',
          contentType: 'image/png',
          sha256: sha256(drawing),
        },
      ],
    });
    expect(await intake.store.get(sha256(drawing))).toEqual(drawing);
    const raw = (await intake.store.get(item.raw.sha256)).toString();
    expect(item.raw.contentType).toBe('message/rfc822');
    expect(raw).toContain('Subject: Mein Wunschzettel');
    expect(raw).toContain(`Message-ID: ${info.messageId}`);
    const dispatched = await eventually(async () => {
      const now = await intake.items.get(item.id);
      return now?.dispatch.state === 'started' && now;
    });
    expect(dispatched.dispatch.processInstanceKey).toMatch(/^\d+$/);
  });

  it('gives each addressed recipient its own item, in any letter case', async () => {
    // when
    const info = await transport.sendMail(
      aWishListMail({ to: ['Christkind@Intake.example', 'santa.claus@intake.example'] }),
    );

    // then
    const references = info.response.match(/IN-[2-9A-Z]{4}-[2-9A-Z]{4}/g)!;
    expect(references).toHaveLength(2);
    const items = await Promise.all(references.map((r) => intake.items.byReference(r)));
    expect(items.map((i) => i?.recipientId).sort()).toEqual(['christkind', 'santa-claus']);
    expect(items[0]?.raw.sha256).toBe(items[1]?.raw.sha256);
  });

  it('stores a repeated delivery of one Message-ID once', async () => {
    // given
    const mail = aWishListMail({ messageId: '<same-wish-list@example.org>' });
    await transport.sendMail(mail);
    const before = await itemCount();

    // when
    const again = await transport.sendMail(mail);

    // then
    expect(again.response).toMatch(/^250 /);
    expect(await itemCount()).toBe(before);
  });
});

describe('rejected mail', () => {
  it('refuses an unknown recipient at RCPT TO with 550', async () => {
    // given
    const before = await itemCount();

    // when
    const error = await rejection(aWishListMail({ to: 'osterhase@intake.example' }));

    // then
    expect(error.responseCode).toBe(550);
    expect(error.response).toMatch(/5\.1\.1 <osterhase@intake\.example>: no such recipient/);
    expect(await itemCount()).toBe(before);
  });

  it('refuses a message over the size limit with 552 and stores nothing of it', async () => {
    // given
    const before = await itemCount();
    const big = Buffer.alloc(MAX_MESSAGE_BYTES, 'x');

    // when
    const error = await rejection(
      aWishListMail({ attachments: [{ filename: 'huge.bin', content: big }] }),
    );

    // then
    expect(error.responseCode).toBe(552);
    expect(error.response).toMatch(/Message too large: at most 200000 bytes/);
    expect(await itemCount()).toBe(before);
    expect(await intake.store.has(sha256(big))).toBe(false);
  });

  it('refuses an attachment over the attachment limit with 552 and stores nothing of it', async () => {
    // given
    const before = await itemCount();
    const scan = Buffer.alloc(MAX_ATTACHMENT_BYTES + 1, 'y');

    // when
    const error = await rejection(
      aWishListMail({
        attachments: [
          { filename: 'ok.txt', content: 'a small note' },
          { filename: 'scan.tif', content: scan },
        ],
      }),
    );

    // then
    expect(error.responseCode).toBe(552);
    expect(error.response).toMatch(/Attachment 'scan\.tif' has 50001 bytes; at most 50000/);
    expect(await itemCount()).toBe(before);
    expect(await intake.store.has(sha256(Buffer.from('a small note')))).toBe(false);
    expect(await intake.store.has(sha256(scan))).toBe(false);
  });

  it('refuses more attachments than allowed with 552', async () => {
    // given
    const before = await itemCount();

    // when
    const error = await rejection(
      aWishListMail({
        attachments: [1, 2, 3, 4].map((n) => ({ filename: `${n}.txt`, content: `page ${n}` })),
      }),
    );

    // then
    expect(error.responseCode).toBe(552);
    expect(error.response).toMatch(/4 attachments; at most 3 are accepted/);
    expect(await itemCount()).toBe(before);
  });

  it.each([
    [
      'without a From address',
      'To: christkind@intake.example\r\nSubject: Wunschzettel\r\n\r\nIch wünsche mir ein Pony.\r\n',
      /no sender address in the From header/,
    ],
    [
      'that does not begin with a header block',
      'Ich wünsche mir ein Pony.\r\nUnd einen Stall.\r\n',
      /does not begin with a header block/,
    ],
    [
      'with a Date that is not a date',
      'From: kim@example.org\r\nTo: christkind@intake.example\r\nDate: yesterday-ish\r\nSubject: x\r\n\r\nEin Pony.\r\n',
      /the Date header is not a date/,
    ],
  ])('refuses a message %s with 550 5.6.0', async (_case, raw, reason) => {
    // given
    const before = await itemCount();

    // when
    const error = await rejection({
      envelope: { from: 'kim@example.org', to: ['christkind@intake.example'] },
      raw,
    });

    // then
    expect(error.responseCode).toBe(550);
    expect(error.response).toMatch(/5\.6\.0 Malformed message/);
    expect(error.response).toMatch(reason);
    expect(await itemCount()).toBe(before);
    expect(await intake.store.has(sha256(Buffer.from(raw)))).toBe(false);
  });
});

describe('STARTTLS', () => {
  // A self-signed certificate for localhost / 127.0.0.1, only for these tests.
  const tlsDir = fileURLToPath(new URL('../testing/tls/', import.meta.url));
  let cert: Buffer;
  let key: Buffer;
  beforeAll(async () => {
    [cert, key] = await Promise.all([
      fs.readFile(path.join(tlsDir, 'localhost.cert.pem')),
      fs.readFile(path.join(tlsDir, 'localhost.key.pem')),
    ]);
  });

  const startTls = (required: boolean) =>
    startSmtpConnector({
      intake: intake.service,
      recipients: intake.recipients,
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger(),
      tls: { cert, key, required },
    });
  /** A sender that insists on TLS and trusts only the test certificate. */
  const tlsSender = (port: number) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      requireTLS: true,
      tls: { ca: [cert], servername: 'localhost' },
    });

  it('takes mail over a connection switched to TLS', async () => {
    // given
    const server = await startTls(false);
    const sender = tlsSender(server.port);
    try {
      // when
      const info = await sender.sendMail(aWishListMail({ subject: 'Über TLS' }));

      // then
      const reference = /IN-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(info.response)![0];
      expect((await intake.items.byReference(reference))?.subject).toBe('Über TLS');
    } finally {
      sender.close();
      await server.close();
    }
  });

  it('refuses mail without STARTTLS with 530 when TLS is required, storing nothing', async () => {
    // given
    const server = await startTls(true);
    const plain = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.port,
      secure: false,
      ignoreTLS: true,
    });
    const before = await itemCount();
    try {
      // when
      const error = await plain.sendMail(aWishListMail()).then(
        () => undefined,
        (e: { responseCode?: number; response?: string }) => e,
      );

      // then
      expect(error?.responseCode).toBe(530);
      expect(error?.response).toMatch(/5\.7\.0 Must issue a STARTTLS command first/);
      expect(await itemCount()).toBe(before);
    } finally {
      plain.close();
      await server.close();
    }
  });

  it('does not offer STARTTLS without a certificate', async () => {
    // given the server of this file, started without tls
    const sender = tlsSender(smtp.port);
    try {
      // when
      const error = await sender.sendMail(aWishListMail()).then(
        () => undefined,
        (e: Error) => e,
      );

      // then nodemailer refuses to send in the clear
      expect(error?.message).toMatch(/STARTTLS/i);
    } finally {
      sender.close();
    }
  });
});
