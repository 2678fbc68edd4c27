import { describe, expect, it } from 'vitest';
import { ConfigError, configurationTable, loadConfig, settings } from './config.js';

describe('loadConfig', () => {
  it('applies the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.httpPort).toBe(8080);
    expect(config.gatewayPort).toBe(26500);
    expect(config.dataDir).toBe('./.kontor');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDirAbsolute).toMatch(/\/\.kontor$/);
  });

  it('reads every setting from its environment variable', () => {
    const config = loadConfig({
      KONTOR_HTTP_PORT: '9090',
      KONTOR_GATEWAY_PORT: '26600',
      KONTOR_DATA_DIR: '/var/lib/kontor',
      DATABASE_URL: 'postgres://k:secret@db:5432/kontor',
      KONTOR_LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      httpPort: 9090,
      gatewayPort: 26600,
      dataDirAbsolute: '/var/lib/kontor',
      databaseUrl: 'postgres://k:secret@db:5432/kontor',
      logLevel: 'debug',
    });
  });

  it('names every bad variable and what was expected, in one error', () => {
    let error: unknown;
    try {
      loadConfig({ KONTOR_HTTP_PORT: '80a', DATABASE_URL: 'mysql://x', KONTOR_LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'KONTOR_HTTP_PORT="80a" is invalid: expected a TCP port number from 0 to 65535',
      'DATABASE_URL="mysql://x" is invalid: expected a PostgreSQL connection URL such as postgres://user:password@host:5432/kontor',
      'KONTOR_LOG_LEVEL="loud" is invalid: expected one of trace, debug, info, warn, error, fatal',
    ]);
  });

  it('wants the SMTP certificate and key together, and both for required TLS', () => {
    expect(() => loadConfig({ KONTOR_SMTP_TLS_CERT: 'cert.pem' })).toThrow(
      /KONTOR_SMTP_TLS_CERT and KONTOR_SMTP_TLS_KEY go together/,
    );
    expect(() => loadConfig({ KONTOR_SMTP_REQUIRE_TLS: 'true' })).toThrow(
      /KONTOR_SMTP_REQUIRE_TLS=true needs a certificate/,
    );
    expect(() => loadConfig({ KONTOR_SMTP_REQUIRE_TLS: 'yes' })).toThrow(
      /KONTOR_SMTP_REQUIRE_TLS="yes" is invalid: expected true or false/,
    );
  });

  it('puts the letter outbox into the data directory unless KONTOR_LETTER_OUTBOX names one', () => {
    expect(loadConfig({ KONTOR_DATA_DIR: '/var/lib/kontor' }).letterOutboxAbsolute).toBe(
      '/var/lib/kontor/letter-outbox',
    );
    expect(
      loadConfig({ KONTOR_DATA_DIR: '/var/lib/kontor', KONTOR_LETTER_OUTBOX: '/srv/print/in' })
        .letterOutboxAbsolute,
    ).toBe('/srv/print/in');
  });

  it('wants a mail domain for the fax gateway', () => {
    expect(loadConfig({ KONTOR_FAX_GATEWAY_DOMAIN: 'Fax.Example.com' }).faxGatewayDomain).toBe(
      'fax.example.com',
    );
    expect(() => loadConfig({ KONTOR_FAX_GATEWAY_DOMAIN: 'smtp://fax.example' })).toThrow(
      /KONTOR_FAX_GATEWAY_DOMAIN="smtp:\/\/fax.example" is invalid: expected a mail domain such as fax.example.com/,
    );
  });

  it('takes relay URLs plain, with credentials, and over TLS', () => {
    for (const url of [
      'smtp://relay.example:25',
      'smtp://kontor:s3cret@relay.example:587',
      'smtps://kontor:s3cret@relay.example:465',
    ]) {
      expect(loadConfig({ KONTOR_SMTP_RELAY_URL: url }).smtpRelayUrl).toBe(url);
    }
    expect(() => loadConfig({ KONTOR_SMTP_RELAY_URL: 'relay.example:25' })).toThrow(
      /KONTOR_SMTP_RELAY_URL="relay.example:25" is invalid: expected an SMTP relay address/,
    );
  });

  it('rejects ports out of range and pool sizes below one', () => {
    expect(() => loadConfig({ KONTOR_GATEWAY_PORT: '70000' })).toThrow(/KONTOR_GATEWAY_PORT/);
    expect(() => loadConfig({ KONTOR_DATABASE_POOL_SIZE: '0' })).toThrow(
      /KONTOR_DATABASE_POOL_SIZE="0" is invalid: expected a whole number greater than 0/,
    );
  });

  it('documents every setting in the configuration table', () => {
    const table = configurationTable();
    for (const spec of Object.values(settings)) expect(table).toContain(`\`${spec.env}\``);
  });
});
