/**
 * The `gateway_protocol.Gateway` service: one handler per Zeebe RPC, each a thin translation
 * between the proto messages and the engine's calls. Request checks name the offending field
 * (INVALID_ARGUMENT); engine errors keep their status; nothing here changes state by itself.
 *
 * ActivateJobs long-polls: it answers as soon as jobs exist, or with none when the request
 * timeout passes (Zeebe: 0 = the gateway's default, negative = answer at once). A client that
 * goes away cancels the poll. StreamActivatedJobs pushes jobs as they are created, pausing while
 * the client's receive buffer is full (gRPC flow control) so that no job waits in a dead buffer.
 */
import type * as grpc from '@grpc/grpc-js';
import type { Logger } from '../logging/logger.js';
import {
  InvalidRequestError,
  UnauthenticatedError,
  UnimplementedError,
  toServiceError,
} from './gateway-errors.js';
import type { ActivatedJob, DeploymentResult, GatewayEngine } from './gateway-engine.js';
import {
  optionalKey,
  optionalTenant,
  parseVariables,
  requireAtLeast,
  requireKey,
  requireText,
} from './request-parsing.js';

/** Zeebe's gateway long-polls ActivateJobs for 10 s when the request names no timeout. */
export const DEFAULT_LONG_POLLING_TIMEOUT_MS = 10_000;
/** CreateProcessInstanceWithResult waits this long when the request names no timeout. */
export const DEFAULT_RESULT_TIMEOUT_MS = 15_000;

export interface GatewayInfo {
  readonly host: string;
  readonly port: number;
  readonly version: string;
  /** When set, every call must carry `authorization: Bearer <token>` (else UNAUTHENTICATED). */
  readonly bearerToken?: string;
}

type Request = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type UnaryHandler = (
  request: Request,
  call: grpc.ServerUnaryCall<Request, unknown>,
) => Promise<unknown>;

export function createGatewayService(
  engine: GatewayEngine,
  info: GatewayInfo,
  logger: Logger,
): grpc.UntypedServiceImplementation {
  const log = logger.child({ component: 'gateway' });

  const authenticate = (call: { metadata: grpc.Metadata }) => {
    if (info.bearerToken === undefined) return;
    const header = call.metadata.get('authorization')[0];
    if (header !== `Bearer ${info.bearerToken}`) {
      throw new UnauthenticatedError(
        header === undefined
          ? "Expected an 'authorization' header with a bearer token, but the call has none"
          : "The bearer token in the 'authorization' header is not valid",
      );
    }
  };

  const unary =
    (rpc: string, handler: UnaryHandler): grpc.handleUnaryCall<Request, unknown> =>
    (call, callback) => {
      Promise.resolve()
        .then(() => {
          authenticate(call);
          return handler(call.request, call);
        })
        .then(
          (response) => callback(null, response),
          (error) => callback(serviceError(rpc, error) as grpc.ServiceError),
        );
    };

  const serviceError = (rpc: string, error: unknown) => {
    const { error: serviceErr, internal } = toServiceError(error);
    if (internal) log.error({ err: error, rpc }, 'RPC failed unexpectedly');
    else log.debug({ rpc, code: serviceErr.code, message: serviceErr.details }, 'RPC rejected');
    return serviceErr;
  };

  const optional = <K extends keyof GatewayEngine>(rpc: string, method: K, feature: string) => {
    const fn = engine[method];
    if (typeof fn !== 'function') throw new UnimplementedError(rpc, feature);
    return (fn as (...args: unknown[]) => unknown).bind(engine) as NonNullable<GatewayEngine[K]>;
  };

  const deploy = (
    resources: { name: string; content: Buffer }[],
    tenantId?: string,
  ): Promise<DeploymentResult> => {
    if (resources.length === 0) {
      throw new InvalidRequestError(
        "Expected argument 'resources' to contain at least one resource, but it was empty",
      );
    }
    resources.forEach((r, i) => requireText(`resources[${i}].name`, r.name));
    return engine.deployResources(resources, optionalTenant(tenantId));
  };

  const createRequest = (request: Request, field = '') => {
    const processDefinitionKey = optionalKey(request.processDefinitionKey);
    if (!processDefinitionKey && !request.bpmnProcessId) {
      throw new InvalidRequestError(
        `Expected either argument '${field}bpmnProcessId' or '${field}processDefinitionKey' to be set, but neither was`,
      );
    }
    if (request.startInstructions?.length > 0) {
      throw new UnimplementedError(
        'CreateProcessInstance with start instructions',
        'start instructions',
      );
    }
    return {
      processDefinitionKey,
      bpmnProcessId: processDefinitionKey ? undefined : request.bpmnProcessId,
      version: request.version > 0 ? request.version : undefined,
      variables: parseVariables(`${field}variables`, request.variables),
      tenantId: optionalTenant(request.tenantId),
    };
  };

  return {
    Topology: unary('Topology', async () => ({
      brokers: [
        {
          nodeId: 0,
          host: info.host,
          port: info.port,
          partitions: [{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }],
          version: info.version,
        },
      ],
      clusterSize: 1,
      partitionsCount: 1,
      replicationFactor: 1,
      gatewayVersion: info.version,
    })),

    DeployResource: unary('DeployResource', async (request) => {
      const result = await deploy(request.resources, request.tenantId);
      return {
        key: result.key,
        tenantId: result.tenantId,
        deployments: [
          ...result.processes.map((process) => ({ process })),
          ...(result.decisions ?? []).map((decision) => ({ decision })),
        ],
      };
    }),

    DeployProcess: unary('DeployProcess', async (request) => {
      const resources = (request.processes as { name: string; definition: Buffer }[]).map((p) => ({
        name: p.name,
        content: p.definition,
      }));
      const result = await deploy(resources);
      return { key: result.key, processes: result.processes };
    }),

    CreateProcessInstance: unary('CreateProcessInstance', (request) =>
      engine.createProcessInstance(createRequest(request)),
    ),

    CreateProcessInstanceWithResult: unary('CreateProcessInstanceWithResult', async (request) => {
      if (!request.request) {
        throw new InvalidRequestError("Expected argument 'request' to be set, but it was not");
      }
      const timeout = Number(request.requestTimeout);
      const result = await engine.createProcessInstanceWithResult({
        ...createRequest(request.request, 'request.'),
        requestTimeoutMs: timeout > 0 ? timeout : DEFAULT_RESULT_TIMEOUT_MS,
        fetchVariables: request.fetchVariables?.length ? request.fetchVariables : undefined,
      });
      return { ...result, variables: JSON.stringify(result.variables) };
    }),

    CancelProcessInstance: unary('CancelProcessInstance', async (request) => {
      await engine.cancelProcessInstance(
        requireKey('processInstanceKey', request.processInstanceKey),
      );
      return {};
    }),

    ActivateJobs: (call: grpc.ServerWritableStream<Request, unknown>) => {
      const request = call.request;
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      (async () => {
        authenticate(call);
        const requestTimeout = Number(request.requestTimeout);
        const jobs = await engine.activateJobs(
          {
            type: requireText('type', request.type),
            worker: request.worker || 'default',
            timeoutMs: requireAtLeast('timeout', request.timeout, 1, 'ms'),
            maxJobsToActivate: requireAtLeast('maxJobsToActivate', request.maxJobsToActivate, 1),
            fetchVariables: request.fetchVariable?.length ? request.fetchVariable : undefined,
            tenantIds: request.tenantIds?.length ? request.tenantIds : undefined,
            requestTimeoutMs:
              requestTimeout < 0
                ? 0
                : requestTimeout === 0
                  ? DEFAULT_LONG_POLLING_TIMEOUT_MS
                  : requestTimeout,
          },
          abort.signal,
        );
        if (abort.signal.aborted) return;
        if (jobs.length > 0) call.write({ jobs: jobs.map(toProtoJob) });
        call.end();
      })().catch((error) => {
        if (!abort.signal.aborted) failStream(call, serviceError('ActivateJobs', error));
      });
    },

    StreamActivatedJobs: (call: grpc.ServerWritableStream<Request, unknown>) => {
      const request = call.request;
      let subscription: { close(): void } | undefined;
      let closed = false;
      try {
        authenticate(call);
        const streamRequest = {
          type: requireText('type', request.type),
          worker: request.worker || 'default',
          timeoutMs: requireAtLeast('timeout', request.timeout, 1, 'ms'),
          fetchVariables: request.fetchVariable?.length ? request.fetchVariable : undefined,
          tenantIds: request.tenantIds?.length ? request.tenantIds : undefined,
        };
        // A job pushed to this callback is already activated for this stream, so it is always
        // written; a full buffer only pauses the subscription (once) until the buffer drains.
        let paused = false;
        const subscribe = () => {
          paused = false;
          subscription = engine.streamJobs(streamRequest, (job) => {
            if (closed) return;
            if (!call.write(toProtoJob(job)) && !paused) {
              paused = true;
              subscription?.close();
              subscription = undefined;
              call.once('drain', () => {
                if (!closed) subscribe();
              });
            }
          });
        };
        subscribe();
      } catch (error) {
        failStream(call, serviceError('StreamActivatedJobs', error));
        return;
      }
      const close = () => {
        closed = true;
        subscription?.close();
      };
      call.on('cancelled', close);
      call.on('close', close);
      call.on('error', close);
    },

    CompleteJob: unary('CompleteJob', async (request) => {
      await engine.completeJob(
        requireKey('jobKey', request.jobKey),
        parseVariables('variables', request.variables),
      );
      return {};
    }),

    FailJob: unary('FailJob', async (request) => {
      await engine.failJob(requireKey('jobKey', request.jobKey), {
        retries: requireAtLeast('retries', request.retries, 0),
        errorMessage: request.errorMessage || undefined,
        retryBackOffMs: requireAtLeast('retryBackOff', request.retryBackOff, 0, 'ms'),
        variables: parseVariables('variables', request.variables),
      });
      return {};
    }),

    ThrowError: unary('ThrowError', async (request) => {
      await engine.throwError(requireKey('jobKey', request.jobKey), {
        errorCode: requireText('errorCode', request.errorCode),
        errorMessage: request.errorMessage || undefined,
        variables: parseVariables('variables', request.variables),
      });
      return {};
    }),

    UpdateJobRetries: unary('UpdateJobRetries', async (request) => {
      await engine.updateJobRetries(
        requireKey('jobKey', request.jobKey),
        requireAtLeast('retries', request.retries, 1),
      );
      return {};
    }),

    UpdateJobTimeout: unary('UpdateJobTimeout', async (request) => {
      await engine.updateJobTimeout(
        requireKey('jobKey', request.jobKey),
        requireAtLeast('timeout', request.timeout, 1, 'ms'),
      );
      return {};
    }),

    ResolveIncident: unary('ResolveIncident', async (request) => {
      await engine.resolveIncident(requireKey('incidentKey', request.incidentKey));
      return {};
    }),

    SetVariables: unary('SetVariables', async (request) => {
      const variables = parseVariables('variables', request.variables);
      if (!variables) {
        throw new InvalidRequestError(
          "Expected argument 'variables' to be a JSON object, but it was empty",
        );
      }
      return engine.setVariables(
        requireKey('elementInstanceKey', request.elementInstanceKey),
        variables,
        {
          local: request.local === true,
        },
      );
    }),

    PublishMessage: unary('PublishMessage', async (request) =>
      optional(
        'PublishMessage',
        'publishMessage',
        'messages',
      )({
        name: requireText('name', request.name),
        correlationKey: request.correlationKey ?? '',
        timeToLiveMs: requireAtLeast('timeToLive', request.timeToLive, 0, 'ms'),
        messageId: request.messageId || undefined,
        variables: parseVariables('variables', request.variables),
        tenantId: optionalTenant(request.tenantId),
      }),
    ),

    BroadcastSignal: unary('BroadcastSignal', async (request) =>
      optional(
        'BroadcastSignal',
        'broadcastSignal',
        'signals',
      )({
        signalName: requireText('signalName', request.signalName),
        variables: parseVariables('variables', request.variables),
        tenantId: optionalTenant(request.tenantId),
      }),
    ),

    ModifyProcessInstance: unary('ModifyProcessInstance', async (request) => {
      const modify = optional(
        'ModifyProcessInstance',
        'modifyProcessInstance',
        'instance modifications',
      );
      await modify({
        processInstanceKey: requireKey('processInstanceKey', request.processInstanceKey),
        activateInstructions: (request.activateInstructions ?? []).map((a: Request, i: number) => ({
          elementId: requireText(`activateInstructions[${i}].elementId`, a.elementId),
          ancestorElementInstanceKey: optionalKey(a.ancestorElementInstanceKey),
          variableInstructions: (a.variableInstructions ?? []).map((v: Request, j: number) => ({
            variables:
              parseVariables(
                `activateInstructions[${i}].variableInstructions[${j}].variables`,
                v.variables,
              ) ?? {},
            scopeId: v.scopeId || undefined,
          })),
        })),
        terminateInstructions: (request.terminateInstructions ?? []).map(
          (t: Request, i: number) => ({
            elementInstanceKey: requireKey(
              `terminateInstructions[${i}].elementInstanceKey`,
              t.elementInstanceKey,
            ),
          }),
        ),
      });
      return {};
    }),

    DeleteResource: unary('DeleteResource', async (request) => {
      await optional(
        'DeleteResource',
        'deleteResource',
        'resource deletion',
      )(requireKey('resourceKey', request.resourceKey));
      return {};
    }),

    EvaluateDecision: unary('EvaluateDecision', async (request) => {
      const evaluate = optional('EvaluateDecision', 'evaluateDecision', 'decisions (DMN)');
      const decisionKey = optionalKey(request.decisionKey);
      if (!decisionKey && !request.decisionId) {
        throw new InvalidRequestError(
          "Expected either argument 'decisionKey' or 'decisionId' to be set, but neither was",
        );
      }
      return evaluate({
        decisionKey,
        decisionId: request.decisionId || undefined,
        variables: parseVariables('variables', request.variables),
        tenantId: optionalTenant(request.tenantId),
      });
    }),

    MigrateProcessInstance: unary('MigrateProcessInstance', async (request) => {
      const migrate = optional(
        'MigrateProcessInstance',
        'migrateProcessInstance',
        'process instance migrations',
      );
      const plan = request.migrationPlan;
      if (!plan)
        throw new InvalidRequestError(
          "Expected argument 'migrationPlan' to be set, but it was not",
        );
      await migrate({
        processInstanceKey: requireKey('processInstanceKey', request.processInstanceKey),
        targetProcessDefinitionKey: requireKey(
          'migrationPlan.targetProcessDefinitionKey',
          plan.targetProcessDefinitionKey,
        ),
        mappingInstructions: plan.mappingInstructions ?? [],
      });
      return {};
    }),
  };
}

/**
 * Ends a server stream with an error status. grpc-js sends the status of a server stream only
 * when it ends through its 'error' event; `destroy(error)` would drop the call without a status
 * and leave the client waiting for one.
 */
function failStream(call: grpc.ServerWritableStream<Request, unknown>, error: object): void {
  call.emit('error', error);
}

function toProtoJob(job: ActivatedJob) {
  return {
    ...job,
    customHeaders: JSON.stringify(job.customHeaders),
    variables: JSON.stringify(job.variables),
    deadline: String(job.deadline),
  };
}
