/**
 * Which deployed process versions call which decisions. A business rule task names its decision
 * in `<zeebe:calledDecision decisionId="…">`; with the default binding (latest) the engine
 * evaluates the latest deployed version of that decision id in the process's tenant when the
 * task is reached. For each process version this tells also which decision version was the
 * latest when the process version was deployed (a decision deployed together with the process
 * counts as before it). Versions deleted by DeleteResource are left out on both sides.
 *
 * A decision id that is a FEEL expression (`decisionId="=…"`) is only known at run time: such
 * tasks are listed apart, as dynamic calls, under no decision.
 *
 *   const { items, dynamic } = await new DecisionUsageRepository(pool).usage();
 */
import type { Pool } from '../../state/database.js';

export interface DecisionCallingTask {
  readonly elementId: string;
  readonly name: string | null;
  /** `latest` unless the task says `deployment` or `versionTag` */
  readonly bindingType: string;
  readonly versionTag: string | null;
}

export interface DecisionCallingProcess {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly tenantId: string;
  readonly deployedAt: string;
  readonly businessRuleTasks: DecisionCallingTask[];
  /** The latest decision version in the tenant when this process version was deployed; null if none existed. */
  readonly decisionVersionAtDeployment: number | null;
}

export interface DecisionUsageVersion {
  readonly decisionKey: string;
  readonly version: number;
  readonly tenantId: string;
  readonly decisionRequirementsId: string;
  readonly deployedAt: string;
}

export interface DecisionUsage {
  readonly decisionId: string;
  readonly name: string;
  readonly latestVersion: number;
  /** newest first */
  readonly versions: DecisionUsageVersion[];
  /** newest process version first */
  readonly processes: DecisionCallingProcess[];
}

/** A process version whose business rule tasks name their decision by a FEEL expression. */
export interface DynamicDecisionCall {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly tenantId: string;
  readonly deployedAt: string;
  readonly businessRuleTasks: (DecisionCallingTask & { decisionIdExpression: string })[];
}

export interface DecisionUsageReport {
  readonly items: DecisionUsage[];
  readonly dynamic: DynamicDecisionCall[];
}

/** The business rule tasks of a BPMN file and the decision id each names, as written. */
export function businessRuleTaskDecisions(
  bpmnXml: string,
): (DecisionCallingTask & { decisionId: string })[] {
  const found: (DecisionCallingTask & { decisionId: string })[] = [];
  const task =
    /<([\w.-]+:)?businessRuleTask\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1?businessRuleTask\s*>)/g;
  for (const match of bpmnXml.matchAll(task)) {
    const [, , attributes, body = ''] = match;
    const called = /<(?:[\w.-]+:)?calledDecision\b([^>]*)>/.exec(body);
    if (!called) continue;
    const decisionId = attribute(called[1], 'decisionId')?.trim();
    const elementId = attribute(attributes, 'id');
    if (!decisionId || !elementId) continue;
    found.push({
      elementId,
      name: attribute(attributes, 'name') ?? null,
      bindingType: attribute(called[1], 'bindingType') || 'latest',
      versionTag: attribute(called[1], 'versionTag') ?? null,
      decisionId,
    });
  }
  return found;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attributes);
  if (!match) return undefined;
  return (match[2] ?? match[3])
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export class DecisionUsageRepository {
  constructor(private readonly pool: Pool) {}

  async usage(): Promise<DecisionUsageReport> {
    const [versions, definitions] = await Promise.all([
      this.pool.query<{
        decision_key: string;
        decision_id: string;
        name: string;
        version: number;
        tenant_id: string;
        decision_requirements_id: string;
        deployment_key: string;
        deployed_at: Date;
      }>(
        `SELECT d.decision_key, d.decision_id, d.name, d.version, d.tenant_id,
                r.decision_requirements_id, r.deployment_key, r.deployed_at
           FROM engine_decision d
           JOIN engine_decision_requirements r USING (decision_requirements_key)
          WHERE r.deleted_at IS NULL
          ORDER BY d.decision_id, d.version DESC, d.tenant_id`,
      ),
      // Only definitions that can call a decision at all are read in full.
      this.pool.query<{
        process_definition_key: string;
        bpmn_process_id: string;
        version: number;
        tenant_id: string;
        deployment_key: string;
        deployed_at: Date;
        resource: string;
      }>(
        `SELECT process_definition_key, bpmn_process_id, version, tenant_id, deployment_key,
                deployed_at, resource
           FROM engine_process_definition
          WHERE resource LIKE '%calledDecision%' AND deleted_at IS NULL
          ORDER BY bpmn_process_id, version DESC, tenant_id`,
      ),
    ]);
    const byId = new Map<string, DecisionUsage>();
    const deployedWith = new Map<string, { at: number; deploymentKey: bigint }>();
    for (const row of versions.rows) {
      let entry = byId.get(row.decision_id);
      if (!entry) {
        entry = {
          decisionId: row.decision_id,
          name: row.name,
          latestVersion: row.version,
          versions: [],
          processes: [],
        };
        byId.set(row.decision_id, entry);
      }
      entry.versions.push({
        decisionKey: String(row.decision_key),
        version: row.version,
        tenantId: row.tenant_id,
        decisionRequirementsId: row.decision_requirements_id,
        deployedAt: row.deployed_at.toISOString(),
      });
      deployedWith.set(String(row.decision_key), {
        at: row.deployed_at.getTime(),
        deploymentKey: BigInt(row.deployment_key),
      });
    }
    const dynamic: DynamicDecisionCall[] = [];
    for (const definition of definitions.rows) {
      const process = {
        processDefinitionKey: String(definition.process_definition_key),
        bpmnProcessId: definition.bpmn_process_id,
        version: definition.version,
        tenantId: definition.tenant_id,
        deployedAt: definition.deployed_at.toISOString(),
      };
      const tasksByDecision = new Map<string, DecisionCallingTask[]>();
      const dynamicTasks: DynamicDecisionCall['businessRuleTasks'] = [];
      for (const { decisionId, ...task } of businessRuleTaskDecisions(definition.resource)) {
        if (decisionId.startsWith('=')) {
          dynamicTasks.push({ ...task, decisionIdExpression: decisionId });
        } else if (byId.has(decisionId)) {
          tasksByDecision.set(decisionId, [...(tasksByDecision.get(decisionId) ?? []), task]);
        }
      }
      // Timestamps are in milliseconds; within one, the engine's increasing keys tell the order.
      const deployedBefore = (decisionKey: string) => {
        const decision = deployedWith.get(decisionKey)!;
        const at = definition.deployed_at.getTime();
        return (
          decision.at < at ||
          (decision.at === at && decision.deploymentKey <= BigInt(definition.deployment_key))
        );
      };
      if (dynamicTasks.length > 0) dynamic.push({ ...process, businessRuleTasks: dynamicTasks });
      for (const [decisionId, businessRuleTasks] of tasksByDecision) {
        const entry = byId.get(decisionId)!;
        // versions are newest first: the first one of the tenant deployed before the process
        const atDeployment = entry.versions.find(
          (v) => v.tenantId === definition.tenant_id && deployedBefore(v.decisionKey),
        );
        entry.processes.push({
          ...process,
          businessRuleTasks,
          decisionVersionAtDeployment: atDeployment?.version ?? null,
        });
      }
    }
    return { items: [...byId.values()], dynamic };
  }
}
