/**
 * Deployed decisions: DMN resources compiled once at deployment (decision requirements graphs,
 * versioned by their id, each decision versioned by its id) and evaluated for business rule
 * tasks and the EvaluateDecision command. An evaluation returns what the auditor sees: every
 * decision evaluated, its inputs, the matched rules and the outputs.
 *
 * A decision's version tag (`zeebe:versionTag` in the DMN) is read from the resource, so it
 * comes back with the resource after a restart. A tag is not unique: as in Camunda 8, deploying
 * a new version that carries a tag already in use moves the tag to that version.
 */
import { evaluateDecision, type CompiledDmn, type EvaluatedDecision } from '../dmn/index.js';

export interface DeployedDecisionRequirements {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly tenantId: string;
  readonly resourceName: string;
  readonly checksum: string;
  readonly deploymentKey: string;
  readonly compiled: CompiledDmn;
}

export interface DeployedDecision {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly version: number;
  /** the decision's `zeebe:versionTag`, if it has one */
  readonly versionTag?: string;
  readonly tenantId: string;
  readonly requirements: DeployedDecisionRequirements;
}

export class DecisionRegistry {
  readonly requirements = new Map<string, DeployedDecisionRequirements>();
  readonly decisions = new Map<string, DeployedDecision>();
  private readonly latestRequirements = new Map<string, DeployedDecisionRequirements>();
  private readonly latestDecisions = new Map<string, DeployedDecision>();
  /** tenant, decision id, version tag → the latest version with that tag */
  private readonly latestTagged = new Map<string, DeployedDecision>();
  /** highest versions ever given (deleted ones included), per `r` + requirements id and `d` + decision id */
  private readonly highestVersions = new Map<string, number>();

  add(requirements: DeployedDecisionRequirements, decisions: readonly DeployedDecision[]): void {
    this.requirements.set(requirements.key, requirements);
    const id = `${requirements.tenantId}\u0000${requirements.id}`;
    if ((this.latestRequirements.get(id)?.version ?? 0) < requirements.version)
      this.latestRequirements.set(id, requirements);
    this.noteRequirementsVersion(requirements.tenantId, requirements.id, requirements.version);
    for (const decision of decisions) this.index(decision);
  }

  private index(decision: DeployedDecision): void {
    this.decisions.set(decision.key, decision);
    const decisionId = `${decision.tenantId}\u0000${decision.id}`;
    if ((this.latestDecisions.get(decisionId)?.version ?? 0) < decision.version)
      this.latestDecisions.set(decisionId, decision);
    this.noteDecisionVersion(decision.tenantId, decision.id, decision.version);
    if (decision.versionTag === undefined) return;
    const tagged = `${decisionId}\u0000${decision.versionTag}`;
    if ((this.latestTagged.get(tagged)?.version ?? 0) < decision.version)
      this.latestTagged.set(tagged, decision);
  }

  /**
   * Removes a deleted requirements graph and its decisions; the previous versions become the
   * latest again. Returns the removed decisions. Their versions stay taken.
   */
  remove(requirements: DeployedDecisionRequirements): DeployedDecision[] {
    const removed = this.inRequirements(requirements.key);
    this.requirements.delete(requirements.key);
    for (const decision of removed) this.decisions.delete(decision.key);
    this.latestRequirements.clear();
    this.latestDecisions.clear();
    this.latestTagged.clear();
    for (const other of this.requirements.values()) {
      const id = `${other.tenantId}\u0000${other.id}`;
      if ((this.latestRequirements.get(id)?.version ?? 0) < other.version)
        this.latestRequirements.set(id, other);
    }
    for (const decision of [...this.decisions.values()]) this.index(decision);
    return removed;
  }

  noteRequirementsVersion(tenantId: string, id: string, version: number): void {
    const key = `r\u0000${tenantId}\u0000${id}`;
    if ((this.highestVersions.get(key) ?? 0) < version) this.highestVersions.set(key, version);
  }

  noteDecisionVersion(tenantId: string, decisionId: string, version: number): void {
    const key = `d\u0000${tenantId}\u0000${decisionId}`;
    if ((this.highestVersions.get(key) ?? 0) < version) this.highestVersions.set(key, version);
  }

  /** The version the next deployment of a requirements graph gets: past every version ever deployed. */
  nextRequirementsVersion(tenantId: string, id: string): number {
    return (this.highestVersions.get(`r\u0000${tenantId}\u0000${id}`) ?? 0) + 1;
  }

  /** The version the next deployment of a decision gets: past every version ever deployed. */
  nextDecisionVersion(tenantId: string, decisionId: string): number {
    return (this.highestVersions.get(`d\u0000${tenantId}\u0000${decisionId}`) ?? 0) + 1;
  }

  latestRequirementsOf(tenantId: string, id: string): DeployedDecisionRequirements | undefined {
    return this.latestRequirements.get(`${tenantId}\u0000${id}`);
  }

  latest(tenantId: string, decisionId: string): DeployedDecision | undefined {
    return this.latestDecisions.get(`${tenantId}\u0000${decisionId}`);
  }

  /** the latest version of the decision that carries the version tag */
  withVersionTag(
    tenantId: string,
    decisionId: string,
    versionTag: string,
  ): DeployedDecision | undefined {
    return this.latestTagged.get(`${tenantId}\u0000${decisionId}\u0000${versionTag}`);
  }

  /** the decisions of one requirements graph version */
  inRequirements(requirementsKey: string): DeployedDecision[] {
    return [...this.decisions.values()].filter((d) => d.requirements.key === requirementsKey);
  }

  inDeployment(
    tenantId: string,
    decisionId: string,
    deploymentKey: string,
  ): DeployedDecision | undefined {
    for (const decision of this.decisions.values()) {
      if (
        decision.tenantId === tenantId &&
        decision.id === decisionId &&
        decision.requirements.deploymentKey === deploymentKey
      )
        return decision;
    }
    return undefined;
  }
}

export interface DecisionOutcome {
  readonly ok: boolean;
  readonly result: unknown;
  readonly message: string;
  readonly failedDecisionId: string;
  readonly evaluatedDecisions: readonly EvaluatedDecision[];
}

export function evaluateDeployed(
  decision: DeployedDecision,
  variables: Record<string, unknown>,
): DecisionOutcome {
  const evaluation = evaluateDecision(decision.requirements.compiled, decision.id, variables);
  if (evaluation.ok) {
    return {
      ok: true,
      result: evaluation.result,
      message: '',
      failedDecisionId: '',
      evaluatedDecisions: evaluation.evaluatedDecisions,
    };
  }
  const failed = evaluation.evaluatedDecisions.at(-1)?.decisionId ?? decision.id;
  return {
    ok: false,
    result: null,
    message: `decision '${decision.id}' (version ${decision.version}) failed: ${evaluation.message}`,
    failedDecisionId: failed,
    evaluatedDecisions: evaluation.evaluatedDecisions,
  };
}

/** The record value of an evaluation, in the shape of Zeebe's DECISION_EVALUATION record and EvaluateDecision response. */
export function evaluationValue(
  decision: DeployedDecision,
  outcome: DecisionOutcome,
  registry: DecisionRegistry,
): Record<string, unknown> {
  const keyOf = (id: string) =>
    registry.inRequirements(decision.requirements.key).find((d) => d.id === id);
  return {
    decisionKey: decision.key,
    decisionId: decision.id,
    decisionName: decision.name,
    decisionVersion: decision.version,
    decisionRequirementsId: decision.requirements.id,
    decisionRequirementsKey: decision.requirements.key,
    decisionOutput: JSON.stringify(outcome.result ?? null),
    failedDecisionId: outcome.failedDecisionId,
    failureMessage: outcome.message,
    tenantId: decision.tenantId,
    evaluatedDecisions: outcome.evaluatedDecisions.map((evaluated) => ({
      decisionId: evaluated.decisionId,
      decisionName: evaluated.decisionName,
      decisionKey: keyOf(evaluated.decisionId)?.key ?? '',
      decisionVersion: keyOf(evaluated.decisionId)?.version ?? decision.version,
      decisionType: evaluated.decisionType,
      decisionOutput: JSON.stringify(evaluated.result ?? null),
      tenantId: decision.tenantId,
      evaluatedInputs: evaluated.inputs.map((input) => ({
        inputId: input.id,
        inputName: input.name,
        inputValue: JSON.stringify(input.value ?? null),
      })),
      matchedRules: evaluated.matchedRules.map((rule) => ({
        ruleId: rule.ruleId,
        ruleIndex: rule.ruleIndex,
        evaluatedOutputs: Object.entries(rule.outputs).map(([name, value]) => ({
          outputId: name,
          outputName: name,
          outputValue: JSON.stringify(value ?? null),
        })),
      })),
    })),
  };
}
