/**
 * Tasks. Service, send, user and job-based script and business rule tasks create a job and wait
 * for a worker; script tasks with `zeebe:script` evaluate their expression in place.
 */
import { evaluateExpression } from '../../feel/feel.js';
import type { ElementBehavior } from './element-behavior.js';
import { COMPLETE, WAIT, failure } from '../execution.js';
import { evaluateDeployed, evaluationValue, type DeployedDecision } from '../decisions.js';

export const jobTaskBehavior: ElementBehavior = {
  activate(execution, instance, element) {
    const job = element.job;
    if (!job) throw new Error(`'${element.id}' has no job definition`);
    const variables = execution.visibleVariables(instance.key);
    const type = evaluateExpression(job.type, variables);
    if (!type.ok) return failure('EXTRACT_VALUE_ERROR', type.message);
    if (typeof type.value !== 'string' || type.value === '') {
      return failure(
        'EXTRACT_VALUE_ERROR',
        `Expected the job type '${job.type}' to be a non-empty string, but it was ${JSON.stringify(type.value)}`,
      );
    }
    const retries = evaluateExpression(job.retries, variables);
    const retryCount = Number(retries.ok ? retries.value : NaN);
    if (!retries.ok || !Number.isInteger(retryCount)) {
      return failure(
        'EXTRACT_VALUE_ERROR',
        `Expected the retries '${job.retries}' to be an integer${retries.ok ? `, but it was ${JSON.stringify(retries.value)}` : `: ${retries.message}`}`,
      );
    }
    const headers: Record<string, string> = { ...job.headers };
    for (const [name, expression] of Object.entries(job.dynamicHeaders)) {
      const result = evaluateExpression(expression, variables);
      if (!result.ok) return failure('EXTRACT_VALUE_ERROR', `${name}: ${result.message}`);
      const value = headerValue(name, result.value);
      if (value !== undefined) headers[name] = value;
    }
    execution.createJob(instance, {
      type: type.value,
      retries: retryCount,
      customHeaders: headers,
    });
    return WAIT;
  },
};

const LIST_HEADERS = new Set([
  'io.camunda.zeebe:candidateGroups',
  'io.camunda.zeebe:candidateUsers',
]);

/** Zeebe passes candidate lists as JSON arrays and everything else as plain strings. */
function headerValue(name: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (LIST_HEADERS.has(name)) {
    const list = Array.isArray(value)
      ? value.map(String)
      : String(value)
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
    return JSON.stringify(list);
  }
  return String(value);
}

export const scriptTaskBehavior: ElementBehavior = {
  activate(execution, instance, element) {
    const script = element.script;
    if (!script) throw new Error(`'${element.id}' has no script`);
    const result = evaluateExpression(script.expression, execution.visibleVariables(instance.key));
    if (!result.ok) return failure('EXTRACT_VALUE_ERROR', result.message);
    execution.propagate(instance, { [script.resultVariable]: result.value });
    return COMPLETE;
  },
};

/**
 * Business rule tasks with `zeebe:calledDecision`: evaluate the deployed decision in place; the
 * result goes to the result variable, the evaluation (inputs, matched rules, outputs) into a
 * DECISION_EVALUATION record; a failed evaluation is an incident naming decision, rule and input.
 * The binding type picks the version: the latest, the one deployed with the process, or the
 * latest one carrying the version tag; no such decision is a CALLED_DECISION_ERROR incident
 * (resolving it looks again, so deploying the decision first lets the task go on).
 */
export const businessRuleTaskBehavior: ElementBehavior = {
  activate(execution, instance, element) {
    const called = element.calledDecision;
    if (!called) throw new Error(`'${element.id}' has no called decision`);
    const variables = execution.visibleVariables(instance.key);
    const id = stringOf(called.decisionId, 'decision id', variables);
    if (!id.ok) return failure('EXTRACT_VALUE_ERROR', id.message);
    const registry = execution.state.decisions;
    let decision: DeployedDecision | undefined;
    let binding = '';
    if (called.bindingType === 'versionTag') {
      const tag = stringOf(called.versionTag ?? '', 'version tag', variables);
      if (!tag.ok) return failure('EXTRACT_VALUE_ERROR', tag.message);
      decision = registry.withVersionTag(instance.tenantId, id.value, tag.value);
      binding = ` with version tag '${tag.value}'`;
    } else if (called.bindingType === 'deployment') {
      decision = registry.inDeployment(
        instance.tenantId,
        id.value,
        execution.definitionOf(instance).deploymentKey,
      );
      binding = ' deployed together with the process';
    } else {
      decision = registry.latest(instance.tenantId, id.value);
    }
    if (!decision) {
      return failure(
        'CALLED_DECISION_ERROR',
        `Expected to evaluate decision '${id.value}'${binding}, but no such decision is deployed`,
      );
    }
    const outcome = evaluateDeployed(decision, variables);
    execution.batch.append(
      'DECISION_EVALUATION',
      outcome.ok ? 'EVALUATED' : 'FAILED',
      execution.keys.next(),
      {
        ...evaluationValue(decision, outcome, registry),
        elementId: instance.elementId,
        elementInstanceKey: instance.key,
        processInstanceKey: instance.processInstanceKey,
      },
      { processInstanceKey: instance.processInstanceKey, elementId: instance.elementId },
    );
    if (!outcome.ok) return failure('DECISION_EVALUATION_ERROR', outcome.message);
    instance.pendingVariables = { [called.resultVariable]: outcome.result };
    return COMPLETE;
  },
};

/** A static value or a `=` expression that must give a string (decision id, version tag). */
function stringOf(
  value: string,
  what: string,
  variables: Record<string, unknown>,
): { ok: true; value: string } | { ok: false; message: string } {
  const result = evaluateExpression(value, variables);
  if (!result.ok) return result;
  if (typeof result.value !== 'string') {
    return {
      ok: false,
      message: `Expected the ${what} '${value}' to be a string, but was ${JSON.stringify(result.value)}`,
    };
  }
  return { ok: true, value: result.value };
}
