/**
 * What the gateway needs from an engine: the subset of the embedded engine's API that the
 * Zeebe RPCs map onto. The gateway depends on this interface, not on the runtime's classes, so
 * it can front any engine that offers these calls. Optional methods belong to engine features
 * that arrive later; while one is missing, its RPC answers UNIMPLEMENTED with a clear message.
 *
 * Errors thrown by these methods carry a `code` (NOT_FOUND, INVALID_ARGUMENT,
 * FAILED_PRECONDITION, ALREADY_EXISTS, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED) that the gateway
 * turns into the gRPC status of the same name.
 */
export type Variables = Record<string, unknown>;

export interface ProcessMetadata {
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processDefinitionKey: string;
  readonly resourceName: string;
  readonly tenantId: string;
}

export interface DecisionMetadata {
  readonly dmnDecisionId: string;
  readonly dmnDecisionName: string;
  readonly version: number;
  readonly decisionKey: string;
  readonly dmnDecisionRequirementsId: string;
  readonly decisionRequirementsKey: string;
  readonly tenantId: string;
}

export interface DeploymentResult {
  readonly key: string;
  readonly tenantId: string;
  readonly processes: readonly ProcessMetadata[];
  readonly decisions?: readonly DecisionMetadata[];
}

export interface CreateInstanceRequest {
  readonly bpmnProcessId?: string;
  readonly version?: number;
  readonly processDefinitionKey?: string;
  readonly variables?: Variables;
  readonly tenantId?: string;
}

export interface CreatedInstance {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly processInstanceKey: string;
  readonly tenantId: string;
}

export interface ActivatedJob {
  readonly key: string;
  readonly type: string;
  readonly processInstanceKey: string;
  readonly bpmnProcessId: string;
  readonly processDefinitionVersion: number;
  readonly processDefinitionKey: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly customHeaders: Record<string, string>;
  readonly worker: string;
  readonly retries: number;
  /** ms since the epoch */
  readonly deadline: number;
  readonly variables: Variables;
  readonly tenantId: string;
}

export interface JobStreamRequest {
  readonly type: string;
  readonly worker: string;
  readonly timeoutMs: number;
  readonly fetchVariables?: string[];
  readonly tenantIds?: string[];
}

export interface GatewayEngine {
  deployResources(
    resources: { name: string; content: string | Buffer }[],
    tenantId?: string,
  ): Promise<DeploymentResult>;
  createProcessInstance(request: CreateInstanceRequest): Promise<CreatedInstance>;
  createProcessInstanceWithResult(
    request: CreateInstanceRequest & { requestTimeoutMs?: number; fetchVariables?: string[] },
  ): Promise<CreatedInstance & { variables: Variables }>;
  cancelProcessInstance(processInstanceKey: string): Promise<void>;
  activateJobs(
    request: JobStreamRequest & { maxJobsToActivate: number; requestTimeoutMs?: number },
    signal?: AbortSignal,
  ): Promise<ActivatedJob[]>;
  streamJobs(request: JobStreamRequest, push: (job: ActivatedJob) => void): { close(): void };
  completeJob(jobKey: string, variables?: Variables): Promise<void>;
  failJob(
    jobKey: string,
    request: {
      retries: number;
      errorMessage?: string;
      retryBackOffMs?: number;
      variables?: Variables;
    },
  ): Promise<void>;
  throwError(
    jobKey: string,
    request: { errorCode: string; errorMessage?: string; variables?: Variables },
  ): Promise<void>;
  updateJobRetries(jobKey: string, retries: number): Promise<void>;
  updateJobTimeout(jobKey: string, timeoutMs: number): Promise<void>;
  resolveIncident(incidentKey: string): Promise<void>;
  setVariables(
    elementInstanceKey: string,
    variables: Variables,
    options?: { local?: boolean },
  ): Promise<{ key: string }>;

  // Arrive with the engine's events, decisions and operations features.
  publishMessage?(request: {
    name: string;
    correlationKey: string;
    timeToLiveMs: number;
    messageId?: string;
    variables?: Variables;
    tenantId?: string;
  }): Promise<{ key: string; tenantId: string }>;
  broadcastSignal?(request: {
    signalName: string;
    variables?: Variables;
    tenantId?: string;
  }): Promise<{ key: string; tenantId: string }>;
  modifyProcessInstance?(request: {
    processInstanceKey: string;
    activateInstructions: {
      elementId: string;
      ancestorElementInstanceKey?: string;
      variableInstructions: { variables: Variables; scopeId?: string }[];
    }[];
    terminateInstructions: { elementInstanceKey: string }[];
  }): Promise<void>;
  deleteResource?(resourceKey: string): Promise<void>;
  evaluateDecision?(request: {
    decisionKey?: string;
    decisionId?: string;
    variables?: Variables;
    tenantId?: string;
  }): Promise<Record<string, unknown>>;
  migrateProcessInstance?(request: {
    processInstanceKey: string;
    targetProcessDefinitionKey: string;
    mappingInstructions: { sourceElementId: string; targetElementId: string }[];
  }): Promise<void>;
}
