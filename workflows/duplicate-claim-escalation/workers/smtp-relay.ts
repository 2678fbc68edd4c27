/**
 * The SMTP relay answers go out through, from its URL (KONTOR_SMTP_RELAY_URL):
 * - `smtp://host:port`: plain SMTP, as to a relay on the local network;
 * - `smtp://user:password@host:port`: STARTTLS is required before the credentials are sent
 *   (never in the clear), then AUTH;
 * - `smtps://[user:password@]host:port`: TLS from the first byte (port 465 usually).
 * The relay's certificate is checked against the system's CAs, plus `ca` (PEM) when given.
 *
 *   const relay = smtpRelayFromUrl('smtp://kontor:secret@mail.example:587', { from: 'intake@kontor.example' });
 *   const transport = relayTransport(relay);
 */
import nodemailer, { type Transporter } from 'nodemailer';

export interface SmtpRelay {
  readonly host: string;
  readonly port: number;
  /** sender of the answers */
  readonly from: string;
  /** TLS from the first byte (smtps). @default false */
  readonly secure?: boolean;
  /** credentials for AUTH; with them, a plain connection must switch to TLS first */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** extra CA certificates (PEM) the relay's certificate may be signed by */
  readonly ca?: string | Buffer;
}

export function smtpRelayFromUrl(
  url: string,
  options: { from: string; ca?: string | Buffer },
): SmtpRelay {
  const parsed = new URL(url);
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    throw new Error(`Expected an smtp:// or smtps:// relay URL, got '${parsed.protocol}'`);
  }
  const secure = parsed.protocol === 'smtps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 25,
    from: options.from,
    secure,
    ...(parsed.username
      ? {
          auth: {
            user: decodeURIComponent(parsed.username),
            pass: decodeURIComponent(parsed.password),
          },
        }
      : {}),
    ...(options.ca ? { ca: options.ca } : {}),
  };
}

export function relayTransport(relay: SmtpRelay): Transporter {
  const tls = relay.ca ? { ca: [relay.ca] } : undefined;
  if (relay.secure) {
    return nodemailer.createTransport({
      host: relay.host,
      port: relay.port,
      secure: true,
      ...(relay.auth ? { auth: relay.auth } : {}),
      ...(tls ? { tls } : {}),
    });
  }
  return nodemailer.createTransport({
    host: relay.host,
    port: relay.port,
    secure: false,
    // credentials only over TLS; without them, plain SMTP as before
    ...(relay.auth ? { requireTLS: true, auth: relay.auth } : { ignoreTLS: true }),
    ...(tls ? { tls } : {}),
  });
}
