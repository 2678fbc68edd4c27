/**
 * Kontor's settings, all in one place.
 *
 * Every setting is declared once below with its environment variable, default, unit and
 * description; `loadConfig()` reads and validates them all and fails with one error that names
 * every bad variable and what was expected. The README's configuration table is generated from
 * the same declarations (`kontor config` prints it), so documentation and code cannot drift.
 *
 *   const config = loadConfig(process.env);
 *   config.httpPort; // 8080
 */
import path from 'node:path';

/** A setting's declaration: where it comes from, what it defaults to, how it is checked. */
interface SettingSpec<T> {
  readonly env: string;
  readonly description: string;
  /** Default as written in the environment; `undefined` means "not set". */
  readonly default?: string;
  readonly unit?: string;
  readonly parse: (raw: string) => { ok: true; value: T } | { ok: false; expected: string };
}

const port = (raw: string) => {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 && n <= 65535 && raw.trim() !== ''
    ? { ok: true as const, value: n }
    : { ok: false as const, expected: 'a TCP port number from 0 to 65535' };
};

const positiveInteger = (raw: string) => {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0
    ? { ok: true as const, value: n }
    : { ok: false as const, expected: 'a whole number greater than 0' };
};

const text = (raw: string) => ({ ok: true as const, value: raw });

const bool = (raw: string) =>
  raw === 'true' || raw === 'false'
    ? { ok: true as const, value: raw === 'true' }
    : { ok: false as const, expected: 'true or false' };

const oneOf =
  <T extends string>(...values: T[]) =>
  (raw: string) =>
    (values as string[]).includes(raw)
      ? { ok: true as const, value: raw as T }
      : { ok: false as const, expected: `one of ${values.join(', ')}` };

const postgresUrl = (raw: string) => {
  try {
    const url = new URL(raw);
    if (url.protocol === 'postgres:' || url.protocol === 'postgresql:') {
      return { ok: true as const, value: raw };
    }
  } catch {
    // falls through to the error below
  }
  return {
    ok: false as const,
    expected: 'a PostgreSQL connection URL such as postgres://user:password@host:5432/kontor',
  };
};

const zeebeAddress = (raw: string) =>
  /^grpcs?:\/\/[^/\s:]+:\d{1,5}$/.test(raw.trim())
    ? { ok: true as const, value: raw.trim() }
    : {
        ok: false as const,
        expected:
          'a Zeebe gateway address such as grpc://zeebe.example:26500 or grpcs://zeebe.example:443',
      };

const smtpUrl = (raw: string) =>
  /^smtps?:\/\/([^/\s:@]+:[^/\s@]*@)?[^/\s:@]+:\d{1,5}$/.test(raw.trim())
    ? { ok: true as const, value: raw.trim() }
    : {
        ok: false as const,
        expected:
          'an SMTP relay address such as smtp://mail.example:25, smtp://user:password@mail.example:587 or smtps://user:password@mail.example:465',
      };

const domain = (raw: string) =>
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i.test(raw.trim())
    ? { ok: true as const, value: raw.trim().toLowerCase() }
    : { ok: false as const, expected: 'a mail domain such as fax.example.com' };

const isoDuration = (raw: string) =>
  /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(raw.trim())
    ? { ok: true as const, value: raw.trim() }
    : { ok: false as const, expected: 'an ISO 8601 duration such as PT48H or P2D' };

/** The settings, in the order the README lists them. */
export const settings = {
  httpPort: {
    env: 'KONTOR_HTTP_PORT',
    default: '8080',
    unit: 'TCP port',
    description: 'Port of the web app, the REST API and the health endpoints.',
    parse: port,
  },
  gatewayPort: {
    env: 'KONTOR_GATEWAY_PORT',
    default: '26500',
    unit: 'TCP port',
    description: "Port of the Zeebe gRPC gateway (Zeebe's default is 26500).",
    parse: port,
  },
  gatewayBearerToken: {
    env: 'KONTOR_GATEWAY_BEARER_TOKEN',
    unit: 'secret',
    description:
      "When set, every gateway call must carry 'authorization: Bearer <token>' (for @camunda8/sdk: CAMUNDA_AUTH_STRATEGY=BEARER, CAMUNDA_OAUTH_TOKEN=<token>). Off by default.",
    parse: text,
  },
  gatewayMaxMessageSize: {
    env: 'KONTOR_GATEWAY_MAX_MESSAGE_SIZE',
    default: '4194304',
    unit: 'bytes',
    description:
      "Largest gateway request or response (Zeebe's default: 4 MiB); larger ones get RESOURCE_EXHAUSTED.",
    parse: positiveInteger,
  },
  tasklistZeebeAddress: {
    env: 'KONTOR_TASKLIST_ZEEBE_ADDRESS',
    unit: 'URL',
    description:
      "Zeebe gateway the tasklist takes user tasks (jobs of type io.camunda.zeebe:userTask) from, as grpc://host:port or grpcs://host:port. Unset: Kontor's own gateway. A remote cluster's credentials come from the usual CAMUNDA_* variables of @camunda8/sdk.",
    parse: zeebeAddress,
  },
  smtpPort: {
    env: 'KONTOR_SMTP_PORT',
    unit: 'TCP port',
    description:
      "Port of the SMTP server (on KONTOR_HOST) that takes e-mail for the inbound recipients' addresses (0: any free port). Unset: no SMTP server.",
    parse: port,
  },
  smtpMaxMessageSize: {
    env: 'KONTOR_SMTP_MAX_MESSAGE_SIZE',
    default: '26214400',
    unit: 'bytes',
    description:
      'Largest e-mail the SMTP server accepts, as sent; larger ones are refused with 552.',
    parse: positiveInteger,
  },
  smtpTlsCert: {
    env: 'KONTOR_SMTP_TLS_CERT',
    unit: 'path',
    description:
      'PEM certificate (chain) with which the SMTP server offers STARTTLS; needs KONTOR_SMTP_TLS_KEY. Unset: plain SMTP only.',
    parse: text,
  },
  smtpTlsKey: {
    env: 'KONTOR_SMTP_TLS_KEY',
    unit: 'path',
    description: "PEM private key of KONTOR_SMTP_TLS_CERT's certificate.",
    parse: text,
  },
  smtpRequireTls: {
    env: 'KONTOR_SMTP_REQUIRE_TLS',
    default: 'false',
    unit: 'true/false',
    description:
      'Refuse mail (530) on SMTP connections that did not switch to TLS with STARTTLS; needs KONTOR_SMTP_TLS_CERT and KONTOR_SMTP_TLS_KEY.',
    parse: bool,
  },
  inboundMaxAttachments: {
    env: 'KONTOR_INBOUND_MAX_ATTACHMENTS',
    default: '10',
    unit: 'attachments',
    description: 'Most attachments one inbound item (e-mail, web form, upload) may carry.',
    parse: positiveInteger,
  },
  inboundMaxAttachmentSize: {
    env: 'KONTOR_INBOUND_MAX_ATTACHMENT_SIZE',
    default: '10485760',
    unit: 'bytes',
    description: 'Largest single attachment of an inbound item.',
    parse: positiveInteger,
  },
  webIntakeRateLimit: {
    env: 'KONTOR_WEB_INTAKE_RATE_LIMIT',
    default: '10',
    unit: 'per minute',
    description:
      'Submissions of the public web intake form accepted per minute from one client address; more get 429.',
    parse: positiveInteger,
  },
  inboundHotFolder: {
    env: 'KONTOR_INBOUND_HOT_FOLDER',
    unit: 'path',
    description:
      'Folder watched for scanned letters and faxes: files in <folder>/post/<recipient>/ or <folder>/fax/<recipient>/ become inbound items, then move to .done/ (or .rejected/ with the reason). Unset: no hot folder.',
    parse: text,
  },
  smtpRelayUrl: {
    env: 'KONTOR_SMTP_RELAY_URL',
    unit: 'URL',
    description:
      'SMTP relay that answers to claimants go out through: smtp://host:port (plain), smtp://user:password@host:port (STARTTLS required, then AUTH), smtps://[user:password@]host:port (TLS from the start). Unset: answers by e-mail fail with an incident that says so.',
    parse: smtpUrl,
  },
  faxGatewayDomain: {
    env: 'KONTOR_FAX_GATEWAY_DOMAIN',
    unit: 'domain',
    description:
      "Domain of the e-mail-to-fax gateway that answers to fax claims go through: a mail to the fax number's digits at this domain (e.g. 49891234567@fax.example) with the PDF attached, sent through KONTOR_SMTP_RELAY_URL. Unset: answers by fax fail with an incident that says so.",
    parse: domain,
  },
  letterOutbox: {
    env: 'KONTOR_LETTER_OUTBOX',
    unit: 'path',
    description:
      'Folder that answer letters (PDF, one file each) are put into for printing and dispatch. Unset: letter-outbox in KONTOR_DATA_DIR.',
    parse: text,
  },
  smtpRelayCa: {
    env: 'KONTOR_SMTP_RELAY_CA',
    unit: 'path',
    description:
      "PEM file of CA certificates the relay's certificate may be signed by, besides the system's (a relay with a private CA).",
    parse: text,
  },
  publicUrl: {
    env: 'KONTOR_PUBLIC_URL',
    unit: 'URL',
    description:
      "Address under which claimants reach Kontor's web app, for the status links in answers (e.g. https://kontor.example). Unset: answers give reference and status token only.",
    parse: text,
  },
  mailFrom: {
    env: 'KONTOR_MAIL_FROM',
    default: 'intake@kontor.localhost',
    unit: 'address',
    description: 'Sender address of the e-mails Kontor sends.',
    parse: text,
  },
  deployShippedProcesses: {
    env: 'KONTOR_DEPLOY_SHIPPED_PROCESSES',
    default: 'true',
    unit: 'true/false',
    description:
      'Deploy the processes that ship with Kontor (workflows/*/*.bpmn and *.dmn) to the embedded engine at start; an unchanged file deploys no new version.',
    parse: bool,
  },
  escalationSla: {
    env: 'KONTOR_ESCALATION_SLA',
    default: 'PT48H',
    unit: 'ISO 8601 duration',
    description:
      'How long the escalation group has to decide on a duplicate claim before the task goes to the escalation lead.',
    parse: isoDuration,
  },
  inboundProcessId: {
    env: 'KONTOR_INBOUND_PROCESS_ID',
    default: 'duplicate-claim-escalation',
    unit: 'BPMN process id',
    description:
      'Process that each new inbound item starts; an item quoting an earlier reference is published as the message inbound-item-received instead.',
    parse: text,
  },
  host: {
    env: 'KONTOR_HOST',
    default: '0.0.0.0',
    unit: 'address',
    description: 'Address the HTTP server and the gateway listen on.',
    parse: text,
  },
  dataDir: {
    env: 'KONTOR_DATA_DIR',
    default: './.kontor',
    unit: 'path',
    description:
      'Directory for local data: the embedded PostgreSQL cluster and the lock that keeps a second Kontor process away.',
    parse: text,
  },
  databaseUrl: {
    env: 'DATABASE_URL',
    unit: 'URL',
    description:
      'PostgreSQL to use instead of the embedded server. When set, no embedded server is started.',
    parse: postgresUrl,
  },
  embeddedPostgresPort: {
    env: 'KONTOR_EMBEDDED_POSTGRES_PORT',
    default: '5488',
    unit: 'TCP port',
    description: 'Port of the embedded PostgreSQL server on 127.0.0.1 (only without DATABASE_URL).',
    parse: port,
  },
  databasePoolSize: {
    env: 'KONTOR_DATABASE_POOL_SIZE',
    default: '10',
    unit: 'connections',
    description: 'Largest number of PostgreSQL connections Kontor opens.',
    parse: positiveInteger,
  },
  shutdownTimeout: {
    env: 'KONTOR_SHUTDOWN_TIMEOUT_MS',
    default: '10000',
    unit: 'ms',
    description: 'How long a graceful shutdown waits for in-flight work before closing anyway.',
    parse: positiveInteger,
  },
  logLevel: {
    env: 'KONTOR_LOG_LEVEL',
    default: 'info',
    unit: 'level',
    description: 'Least severe log level written: trace, debug, info, warn, error or fatal.',
    parse: oneOf('trace', 'debug', 'info', 'warn', 'error', 'fatal'),
  },
} satisfies Record<string, SettingSpec<unknown>>;

type Settings = typeof settings;
type ValueOf<S> = S extends SettingSpec<infer T> ? T : never;

/** The validated configuration. Settings without a default and not set are `undefined`. */
export type KontorConfig = {
  [K in keyof Settings]: Settings[K] extends { default: string }
    ? ValueOf<Settings[K]>
    : ValueOf<Settings[K]> | undefined;
} & {
  /** `dataDir` resolved against the working directory. */
  readonly dataDirAbsolute: string;
  /** `letterOutbox` resolved against the working directory, `<dataDir>/letter-outbox` when not set. */
  readonly letterOutboxAbsolute: string;
};

/** Thrown by `loadConfig` when one or more settings are invalid; the message lists them all. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads every setting from `env`, applies defaults, and validates; throws `ConfigError`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): KontorConfig {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(settings) as [string, SettingSpec<unknown>][]) {
    const raw = env[spec.env] === '' ? undefined : (env[spec.env] ?? spec.default);
    if (raw === undefined) {
      values[name] = undefined;
      continue;
    }
    const parsed = spec.parse(raw);
    if (parsed.ok) values[name] = parsed.value;
    else
      problems.push(`${spec.env}=${JSON.stringify(raw)} is invalid: expected ${parsed.expected}`);
  }
  if (Boolean(values.smtpTlsCert) !== Boolean(values.smtpTlsKey)) {
    problems.push('KONTOR_SMTP_TLS_CERT and KONTOR_SMTP_TLS_KEY go together: set both or neither');
  }
  if (values.smtpRequireTls && !values.smtpTlsCert) {
    problems.push(
      'KONTOR_SMTP_REQUIRE_TLS=true needs a certificate: set KONTOR_SMTP_TLS_CERT and KONTOR_SMTP_TLS_KEY',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const config = values as Omit<KontorConfig, 'dataDirAbsolute' | 'letterOutboxAbsolute'>;
  return {
    ...config,
    dataDirAbsolute: path.resolve(config.dataDir),
    letterOutboxAbsolute: path.resolve(
      config.letterOutbox ?? path.join(config.dataDir, 'letter-outbox'),
    ),
  };
}

/** The configuration table as Markdown, for the README and `kontor config`. */
export function configurationTable(): string {
  const rows = Object.values(settings as Record<string, SettingSpec<unknown>>).map(
    (s) =>
      `| \`${s.env}\` | ${s.default === undefined ? '—' : `\`${s.default}\``} | ${s.unit ?? ''} | ${s.description} |`,
  );
  return ['| variable | default | unit | description |', '| --- | --- | --- | --- |', ...rows].join(
    '\n',
  );
}
