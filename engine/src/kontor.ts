/**
 * One running Kontor: the system database (embedded or DATABASE_URL), migrations, the embedded
 * engine, the Zeebe gRPC gateway in front of it, and the HTTP server.
 *
 * `startKontor` brings the parts up in order and, if one fails, takes down what already runs.
 * `stop()` is the graceful shutdown: stop accepting, finish in-flight work, close the database,
 * stop the embedded PostgreSQL, release the data directory.
 *
 *   const kontor = await startKontor(loadConfig(), logger);
 *   await kontor.stop();
 */
import { connectZeebe, intakeOpenApi, startConnectors } from '@kontor/connectors';
import {
  CaseFiles,
  caseFileRoutes,
  smtpRelayFromUrl,
  startDuplicateClaimWorkers,
} from '@kontor/workflows';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KontorConfig } from './config/config.js';
import type { Logger } from './logging/logger.js';
import { sessionUser } from './api/auth/auth.middleware.js';
import { authRoutes } from './api/auth/auth.routes.js';
import { ensureFirstAdmin } from './api/auth/first-admin.js';
import { UsersRepository } from './api/auth/users.repository.js';
import { DecisionDraftsRepository } from './api/decisions/decision-drafts.repository.js';
import { decisionsOpenApi, decisionsRoutes } from './api/decisions/decisions.routes.js';
import { DeployedDecisionsRepository } from './api/decisions/deployed-decisions.repository.js';
import { DraftsRepository } from './api/drafts/drafts.repository.js';
import { draftsRoutes } from './api/drafts/drafts.routes.js';
import { FormDraftsRepository } from './api/forms/form-drafts.repository.js';
import { FormUsageRepository } from './api/forms/form-usage.repository.js';
import { FormVersionsRepository } from './api/forms/form-versions.repository.js';
import { formsOpenApi } from './api/forms/forms.openapi.js';
import { formsRoutes } from './api/forms/forms.routes.js';
import { dashboardOpenApi, dashboardRoutes } from './api/dashboard/dashboard.routes.js';
import { instancesOpenApi, instancesRoutes } from './api/instances/instances.routes.js';
import { ProcessInstancesRepository } from './api/instances/process-instances.repository.js';
import { openApiRoutes } from './api/openapi.js';
import { ProcessDefinitionsRepository } from './api/processes/process-definitions.repository.js';
import { processesOpenApi, processesRoutes } from './api/processes/processes.routes.js';
import { healthRoutes } from './api/health.routes.js';
import { webAppRoutes } from './api/web-app.routes.js';
import { startHttpServer, type HttpServer } from './api/http-server.js';
import { startGateway } from './gateway/gateway-server.js';
import { Engine } from './runtime/engine.js';
import { startTasklist } from './tasklist/tasklist.service.js';
import { tasksOpenApi } from './tasklist/tasks.openapi.js';
import { tasksRoutes } from './tasklist/tasks.routes.js';
import { Migrator } from './state/migrator.js';
import { openSystemDatabase, type SystemDatabase } from './state/system-database.js';

export interface RunningKontor {
  readonly httpPort: number;
  readonly gatewayPort: number;
  /** the SMTP server's port, when KONTOR_SMTP_PORT is set */
  readonly smtpPort?: number;
  readonly database: SystemDatabase;
  readonly engine: Engine;
  stop(): Promise<void>;
}

const workflowsDir = fileURLToPath(new URL('../../workflows/', import.meta.url));

/** Deploys every BPMN and DMN file of `workflows/<process>/`; unchanged files add no version. */
async function deployShippedProcesses(engine: Engine): Promise<string[]> {
  const resources: { name: string; content: string }[] = [];
  for (const folder of (await fs.readdir(workflowsDir, { withFileTypes: true })).filter((d) =>
    d.isDirectory(),
  )) {
    for (const file of (await fs.readdir(path.join(workflowsDir, folder.name))).sort()) {
      if (!file.endsWith('.bpmn') && !file.endsWith('.dmn')) continue;
      resources.push({
        name: file,
        content: await fs.readFile(path.join(workflowsDir, folder.name, file), 'utf8'),
      });
    }
  }
  if (resources.length === 0) return [];
  const deployment = await engine.deployResources(resources);
  return deployment.processes.map((p) => `${p.bpmnProcessId} v${p.version}`);
}

/** A PEM file named by a setting, read at start; the error names the setting. */
const readPemFile = (file: string, variable: string) =>
  fs.readFile(path.resolve(file)).catch((error: Error) => {
    throw new Error(`${variable}: cannot read '${file}' (${error.message}); expected a PEM file`);
  });

/** The SMTP server's certificate and key (KONTOR_SMTP_TLS_*), read once at start. */
async function smtpTls(config: KontorConfig) {
  if (!config.smtpTlsCert || !config.smtpTlsKey) return undefined;
  return {
    cert: await readPemFile(config.smtpTlsCert, 'KONTOR_SMTP_TLS_CERT'),
    key: await readPemFile(config.smtpTlsKey, 'KONTOR_SMTP_TLS_KEY'),
    required: config.smtpRequireTls,
  };
}

/** The relay answers go out through (KONTOR_SMTP_RELAY_URL, KONTOR_SMTP_RELAY_CA). */
async function smtpRelay(config: KontorConfig) {
  if (!config.smtpRelayUrl) return undefined;
  return smtpRelayFromUrl(config.smtpRelayUrl, {
    from: config.mailFrom,
    ca: config.smtpRelayCa
      ? await readPemFile(config.smtpRelayCa, 'KONTOR_SMTP_RELAY_CA')
      : undefined,
  });
}

export async function startKontor(config: KontorConfig, logger: Logger): Promise<RunningKontor> {
  const started = Date.now();
  const stack: (() => Promise<void>)[] = [];
  const unwind = async () => {
    while (stack.length > 0) await stack.pop()!();
  };
  let accepting = true;
  try {
    const database = await openSystemDatabase(config, logger);
    stack.push(() => database.close());

    const migrator = new Migrator(database.pool);
    const applied = await migrator.migrate();
    if (applied.length > 0) {
      logger.info({ migrations: applied.map((m) => m.name) }, 'applied database migrations');
    }

    const users = new UsersRepository(database.pool);
    await ensureFirstAdmin(users, logger);

    const engine = await Engine.start({ pool: database.pool, logger });
    stack.push(() => engine.stop());

    const gateway = await startGateway({
      engine,
      host: config.host,
      port: config.gatewayPort,
      logger,
      bearerToken: config.gatewayBearerToken,
      maxMessageBytes: config.gatewayMaxMessageSize,
    });
    stack.push(() => gateway.close(config.shutdownTimeout));

    // The tasklist takes user tasks through the Zeebe client: from this Kontor's own gateway,
    // or from the cluster that KONTOR_TASKLIST_ZEEBE_ADDRESS names.
    const ownGateway = `grpc://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${gateway.port}`;
    const tasklist = startTasklist({
      pool: database.pool,
      logger,
      zeebeAddress: config.tasklistZeebeAddress ?? ownGateway,
      credentials: config.tasklistZeebeAddress
        ? 'environment'
        : { bearerToken: config.gatewayBearerToken },
      // the embedded engine's records are here: tasks other clients completed show as completed
      engineRecordsInDatabase: !config.tasklistZeebeAddress,
    });
    stack.push(() => tasklist.stop());

    // Inbound channels hand their items to processes through the same Zeebe client connection.
    const connectors = await startConnectors({
      pool: database.pool,
      logger,
      dataDir: config.dataDirAbsolute,
      zeebe: {
        address: config.tasklistZeebeAddress ?? ownGateway,
        credentials: config.tasklistZeebeAddress
          ? 'environment'
          : { bearerToken: config.gatewayBearerToken },
      },
      bpmnProcessId: config.inboundProcessId,
      limits: {
        maxAttachments: config.inboundMaxAttachments,
        maxAttachmentBytes: config.inboundMaxAttachmentSize,
      },
      webRateLimit: { limit: config.webIntakeRateLimit, windowMs: 60_000 },
      hotFolder: config.inboundHotFolder,
      smtp:
        config.smtpPort === undefined
          ? undefined
          : {
              host: config.host,
              port: config.smtpPort,
              maxMessageBytes: config.smtpMaxMessageSize,
              tls: await smtpTls(config),
            },
    });
    stack.push(() => connectors.stop());

    // The shipped processes run on the embedded engine as soon as Kontor is up (a remote
    // cluster gets them deployed by its operators).
    if (config.deployShippedProcesses && !config.tasklistZeebeAddress) {
      const deployed = await deployShippedProcesses(engine);
      logger.info({ processes: deployed }, 'shipped processes deployed');
    }

    // The shipped processes' job workers, on the same gateway.
    const workflowsZeebe = connectZeebe({
      address: config.tasklistZeebeAddress ?? ownGateway,
      credentials: config.tasklistZeebeAddress
        ? 'environment'
        : { bearerToken: config.gatewayBearerToken },
    });
    const workflowWorkers = startDuplicateClaimWorkers({
      zeebe: workflowsZeebe,
      pool: database.pool,
      smtpRelay: await smtpRelay(config),
      faxGatewayDomain: config.faxGatewayDomain,
      letterOutbox: config.letterOutboxAbsolute,
      // answer letters and faxes are kept beside the inbound documents, content-addressed
      contentStore: connectors.store,
      escalationSla: config.escalationSla,
      publicUrl: config.publicUrl,
    });
    stack.push(async () => {
      await workflowWorkers.close();
      await workflowsZeebe.close(2_000).catch(() => undefined);
    });

    const http: HttpServer = await startHttpServer({
      host: config.host,
      port: config.httpPort,
      logger,
      routers: [
        healthRoutes({ pool: database.pool, migrator, isAccepting: () => accepting }),
        sessionUser(users),
        authRoutes(users),
        draftsRoutes(new DraftsRepository(database.pool)),
        processesRoutes({
          engine,
          definitions: new ProcessDefinitionsRepository(database.pool),
          drafts: new DraftsRepository(database.pool),
        }),
        instancesRoutes({ engine, instances: new ProcessInstancesRepository(database.pool) }),
        dashboardRoutes(database.pool),
        decisionsRoutes({
          engine,
          drafts: new DecisionDraftsRepository(database.pool),
          deployed: new DeployedDecisionsRepository(database.pool),
        }),
        // Each router's OpenAPI paths; a new router adds its contribution here.
        openApiRoutes([
          processesOpenApi,
          instancesOpenApi,
          dashboardOpenApi,
          tasksOpenApi,
          decisionsOpenApi,
          formsOpenApi,
          intakeOpenApi,
        ]),
        tasksRoutes(
          tasklist,
          config.tasklistZeebeAddress ? undefined : (action) => engine.recordUserAction(action),
        ),
        formsRoutes({
          drafts: new FormDraftsRepository(database.pool),
          versions: new FormVersionsRepository(database.pool),
          usage: new FormUsageRepository(database.pool),
          tasklist,
        }),
        connectors.intakeRoutes,
        caseFileRoutes(new CaseFiles(database.pool)),
        webAppRoutes(),
      ],
    });
    stack.push(() => http.close(config.shutdownTimeout));

    logger.info(
      { httpPort: http.port, gatewayPort: gateway.port, ms: Date.now() - started },
      'Kontor is ready',
    );
    let stopping: Promise<void> | undefined;
    return {
      httpPort: http.port,
      gatewayPort: gateway.port,
      ...(connectors.smtpPort === undefined ? {} : { smtpPort: connectors.smtpPort }),
      database,
      engine,
      stop() {
        accepting = false;
        stopping ??= unwind();
        return stopping;
      },
    };
  } catch (error) {
    await unwind().catch((cleanupError) =>
      logger.error({ err: cleanupError }, 'cleanup after a failed start failed too'),
    );
    throw error;
  }
}
