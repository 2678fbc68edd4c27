/**
 * A local SMTP server that keeps every mail it receives, parsed: the stand-in for a relay or a
 * claimant's mailbox in tests (a real SMTP server, smtp-server + mailparser).
 *
 *   const sink = await startSmtpSink();
 *   ... KONTOR_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}` ...
 *   const [answer] = await sink.mailsTo('anna@example.org', 1);
 *   await sink.close();
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './intake-harness.js';

export interface SmtpSink {
  readonly port: number;
  /** every mail received, in order */
  readonly mails: ParsedMail[];
  /** waits until `count` mails to `address` arrived (15 s at most) and returns them */
  mailsTo(address: string, count: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as { port: number }).port,
    mails,
    mailsTo: (address, count) =>
      eventually(async () => {
        const to = mails.filter((m) =>
          (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(address)),
        );
        return to.length >= count && to;
      }, 15_000),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
