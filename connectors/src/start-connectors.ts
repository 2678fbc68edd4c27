/**
 * The inbound side of a running Kontor: repositories, the content store under the data
 * directory, the dispatcher that hands items to processes through the Zeebe client, and the
 * channels: the public web form's routes, and the SMTP server when a port is given.
 *
 *   const connectors = await startConnectors({ pool, logger, dataDir, zeebe: { address, credentials: {} },
 *     bpmnProcessId: 'duplicate-claim-escalation', smtp: { host: '0.0.0.0', port: 2525 } });
 *   connectors.smtpPort; // 2525
 *   await connectors.stop();
 */
import path from 'node:path';
import { Router } from 'express';
import type pg from 'pg';
import type { Logger } from 'pino';
import { startSmtpConnector, type SmtpConnector, type SmtpTls } from './email/smtp.connector.js';
import { ContentStore } from './inbound/content-store.js';
import { InboundItemRepository } from './inbound/inbound-item.repository.js';
import { InboundService, type InboundLimits } from './inbound/inbound.service.js';
import { ItemStatus } from './inbound/item-status.js';
import { ProcessDispatcher } from './inbound/process-dispatcher.js';
import { RecipientsRepository } from './inbound/recipients.repository.js';
import { connectZeebe, type ZeebeConnection } from './inbound/zeebe-client.js';
import { HotFolder } from './post/hot-folder.js';
import { ScanIntake } from './post/scan-intake.js';
import { scanIntakeRoutes } from './post/scan-intake.routes.js';
import { tesseractOcr, type OcrEngine } from './post/scan-text.js';
import { statusRoutes } from './inbound/status.routes.js';
import { webIntakeRoutes } from './web/web-intake.routes.js';
import type { RateLimit } from './web/rate-limiter.js';

export interface ConnectorsOptions {
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** documents go to `<dataDir>/inbound` */
  readonly dataDir: string;
  readonly zeebe: ZeebeConnection;
  /** the process each new inbound item starts */
  readonly bpmnProcessId: string;
  readonly limits?: Partial<InboundLimits>;
  /** submissions of the public web form per client address. @default 10 per minute */
  readonly webRateLimit?: RateLimit;
  /** the post and fax hot folder (`<dir>/<post|fax>/<recipient>/`); off when not given */
  readonly hotFolder?: string;
  /** OCR for scans without a text layer. @default Debian's tesseract when installed */
  readonly ocr?: OcrEngine | 'none';
  /** the e-mail channel; off when not given */
  readonly smtp?: {
    readonly host: string;
    readonly port: number;
    readonly maxMessageBytes?: number;
    /** STARTTLS with this certificate; none: plain SMTP */
    readonly tls?: SmtpTls;
  };
}

export interface RunningConnectors {
  readonly intake: InboundService;
  readonly items: InboundItemRepository;
  readonly recipients: RecipientsRepository;
  readonly store: ContentStore;
  /** the SMTP server's port, when the e-mail channel is on */
  readonly smtpPort?: number;
  /** the intake's REST routes (public web form, scan upload), for the HTTP server to mount */
  readonly intakeRoutes: Router;
  stop(): Promise<void>;
}

export async function startConnectors(options: ConnectorsOptions): Promise<RunningConnectors> {
  const logger = options.logger.child({ component: 'connectors' });
  const items = new InboundItemRepository(options.pool);
  const recipients = new RecipientsRepository(options.pool);
  const store = new ContentStore(path.join(options.dataDir, 'inbound'));
  const zeebe = connectZeebe(options.zeebe);
  const status = new ItemStatus(options.pool);
  const dispatcher = new ProcessDispatcher({
    zeebe,
    items,
    logger,
    bpmnProcessId: options.bpmnProcessId,
    status,
  });
  const intake = new InboundService({
    items,
    recipients,
    store,
    dispatcher,
    logger,
    limits: options.limits,
    status,
  });
  dispatcher.start();
  const ocr = options.ocr === 'none' ? undefined : (options.ocr ?? (await tesseractOcr()));
  const scans = new ScanIntake({ intake, ocr });
  const hotFolder = options.hotFolder
    ? new HotFolder({ dir: options.hotFolder, scans, logger })
    : undefined;
  hotFolder?.start();
  let smtp: SmtpConnector | undefined;
  const stopDispatch = async () => {
    await intake.drain();
    await hotFolder?.stop();
    await dispatcher.stop();
    await zeebe.close(2_000).catch(() => undefined);
  };
  if (options.smtp) {
    try {
      smtp = await startSmtpConnector({ intake, recipients, logger, ...options.smtp });
    } catch (error) {
      await stopDispatch();
      throw error;
    }
  }
  return {
    intake,
    items,
    recipients,
    store,
    ...(smtp ? { smtpPort: smtp.port } : {}),
    intakeRoutes: Router().use(
      webIntakeRoutes({
        intake,
        recipients,
        rateLimit: options.webRateLimit,
        status,
        pool: options.pool,
      }),
      statusRoutes({ status, recipients }),
      scanIntakeRoutes({ scans, maxBytes: intake.limits.maxAttachmentBytes }),
    ),
    async stop() {
      // Channels first, so nothing new arrives while deliveries finish.
      await smtp?.close();
      await stopDispatch();
    },
  };
}
