// The relay answers go out through, as a real SMTP server (smtp-server) on this machine: plain,
// STARTTLS with AUTH, and TLS from the first byte, with the test certificate for localhost.
import fs from 'node:fs/promises';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { relayTransport, smtpRelayFromUrl } from './smtp-relay.js';

const tls = (file: string) =>
  new URL(`../../../connectors/src/testing/tls/${file}`, import.meta.url);
let cert: Buffer;
let key: Buffer;
beforeAll(async () => {
  [cert, key] = await Promise.all([
    fs.readFile(tls('localhost.cert.pem')),
    fs.readFile(tls('localhost.key.pem')),
  ]);
});

interface Received {
  readonly secure: boolean;
  readonly user?: string;
  readonly subject?: string;
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A relay that records what it received, how (TLS) and from whom (AUTH user). */
async function startRelay(
  options: SMTPServerOptions,
): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    key,
    cert,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'kontor' && auth.password === 's3cret:/@') {
        callback(null, { user: auth.username });
      } else {
        callback(new Error('535 5.7.8 Authentication credentials invalid'));
      }
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({
          secure: session.secure,
          user: session.user as string | undefined,
          subject: mail.subject,
        });
        callback();
      }, callback);
    },
    ...options,
  });
  // a client that gives up on our certificate closes the socket: the relay's error, not ours
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { port: (server.server.address() as { port: number }).port, received };
}

const send = async (url: string, withCa = true) => {
  const transport = relayTransport(
    smtpRelayFromUrl(url, { from: 'intake@kontor.example', ca: withCa ? cert : undefined }),
  );
  try {
    return await transport.sendMail({
      from: 'intake@kontor.example',
      to: 'anna@example.org',
      subject: 'Dein Wunschzettel',
      text: 'Wir haben ihn erhalten.',
    });
  } finally {
    transport.close();
  }
};
// the password needs URL encoding: ':' '/' '@'
const CREDENTIALS = `kontor:${encodeURIComponent('s3cret:/@')}`;

describe('smtpRelayFromUrl', () => {
  it('reads host, port, TLS and the URL-encoded credentials', () => {
    expect(smtpRelayFromUrl(`smtps://${CREDENTIALS}@mail.example`, { from: 'a@b.c' })).toEqual({
      host: 'mail.example',
      port: 465,
      from: 'a@b.c',
      secure: true,
      auth: { user: 'kontor', pass: 's3cret:/@' },
    });
    expect(smtpRelayFromUrl('smtp://relay:2525', { from: 'a@b.c' })).toEqual({
      host: 'relay',
      port: 2525,
      from: 'a@b.c',
      secure: false,
    });
    expect(() => smtpRelayFromUrl('http://relay:25', { from: 'a@b.c' })).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
  });
});

describe('relayTransport', () => {
  it('sends in plain SMTP to a relay without credentials', async () => {
    const relay = await startRelay({ authOptional: true, disabledCommands: ['STARTTLS'] });
    await send(`smtp://127.0.0.1:${relay.port}`);
    expect(relay.received).toEqual([{ secure: false, subject: 'Dein Wunschzettel' }]);
  });

  it('switches to TLS with STARTTLS before it sends the credentials', async () => {
    const relay = await startRelay({ authOptional: false });
    await send(`smtp://${CREDENTIALS}@localhost:${relay.port}`);
    expect(relay.received).toEqual([
      { secure: true, user: 'kontor', subject: 'Dein Wunschzettel' },
    ]);
  });

  it('refuses to send credentials to a relay that offers no STARTTLS', async () => {
    const relay = await startRelay({ authOptional: false, disabledCommands: ['STARTTLS'] });
    await expect(send(`smtp://${CREDENTIALS}@localhost:${relay.port}`)).rejects.toThrow(/STARTTLS/);
    expect(relay.received).toEqual([]);
  });

  it('speaks TLS from the first byte with smtps', async () => {
    const relay = await startRelay({ secure: true, authOptional: false });
    await send(`smtps://${CREDENTIALS}@localhost:${relay.port}`);
    expect(relay.received).toEqual([
      { secure: true, user: 'kontor', subject: 'Dein Wunschzettel' },
    ]);
  });

  it('refuses a relay whose certificate no trusted CA signed', async () => {
    const relay = await startRelay({ secure: true, authOptional: false });
    await expect(send(`smtps://${CREDENTIALS}@localhost:${relay.port}`, false)).rejects.toThrow(
      /self[- ]signed|certificate/i,
    );
    expect(relay.received).toEqual([]);
  });
});
