/**
 * Evaluates a decision of a compiled DMN model against variables: the decisions it requires
 * first, then its own logic (decision table, literal expression or another boxed expression).
 * It never throws for a problem in the model or the data: a UNIQUE table with several matching
 * rules, an input of the wrong type or a FEEL expression that fails comes back as
 * `{ ok: false, message }`, and the message names the decision, the rule and the input.
 *
 *   const evaluation = evaluateDecision(dmn, 'discount', { customer: 'Business', amount: 900 });
 *   if (evaluation.ok) use(evaluation.result);
 *
 * Results are shaped as Camunda 8 shapes them: a table with one output gives its value (a list
 * for COLLECT and RULE ORDER), a table with several outputs a context (or a list of contexts).
 * No matching rule gives null (an empty list for multiple-hit tables), as in Camunda 8, unless
 * the outputs have default values or `failWhenNoRuleMatches` is set.
 */
import { FeelFunction } from 'feelin';
import type {
  CompiledDecision,
  CompiledDecisionService,
  CompiledDecisionTable,
  CompiledDmn,
  CompiledExpression,
  CompiledOutput,
  DecisionType,
} from './dmn-model.js';
import { decisionTablePlan, type RulePlan } from './decision-table-plan.js';
import {
  coerceToType,
  conforms,
  describe,
  evaluateFeel,
  feelEquals,
  feelTypeOf,
  fromJson,
  testFeel,
  toJson,
  type Outcome,
} from './feel-values.js';

export interface EvaluatedInput {
  readonly id: string;
  readonly name: string;
  readonly value: unknown;
}

export interface MatchedRule {
  readonly ruleId: string;
  /** 1-based position of the rule in its table */
  readonly ruleIndex: number;
  /** the rule's output values by output name */
  readonly outputs: Record<string, unknown>;
}

/** What one decision of the graph did: the record an auditor reads. */
export interface EvaluatedDecision {
  readonly decisionId: string;
  readonly decisionName: string;
  readonly decisionType: DecisionType;
  /** the decision table's input values; empty for other kinds of decision */
  readonly inputs: EvaluatedInput[];
  /** the rules whose outputs make up the result, in result order */
  readonly matchedRules: MatchedRule[];
  readonly result: unknown;
}

export type DecisionEvaluation =
  | {
      readonly ok: true;
      readonly result: unknown;
      /** every decision evaluated, required decisions before the decisions that read them */
      readonly evaluatedDecisions: EvaluatedDecision[];
    }
  | {
      readonly ok: false;
      readonly message: string;
      readonly evaluatedDecisions: EvaluatedDecision[];
    };

export interface EvaluateDecisionOptions {
  /**
   * How values are returned: `json` turns dates, times and durations into ISO strings (what
   * process variables hold); `feel` returns feelin's values unchanged.
   * @default 'json'
   */
  readonly values?: 'json' | 'feel';
  /**
   * Fail when no rule of a table matches and its outputs have no default, instead of returning
   * null (an empty list for multiple-hit tables).
   * @default false (Camunda 8's behavior)
   */
  readonly failWhenNoRuleMatches?: boolean;
}

/** Evaluates the decision with this id (or, failing that, this name). */
export function evaluateDecision(
  dmn: CompiledDmn,
  decisionId: string,
  variables: Record<string, unknown> = {},
  options: EvaluateDecisionOptions = {},
): DecisionEvaluation {
  const decision =
    dmn.decisions.find((candidate) => candidate.id === decisionId) ??
    dmn.decisions.find((candidate) => candidate.name === decisionId);
  if (!decision) {
    const known = dmn.decisions.map((candidate) => `'${candidate.id}'`).join(', ');
    return {
      ok: false,
      message: `no decision '${decisionId}' in DMN '${dmn.name || dmn.id}' (expected one of ${known || 'none: the file has no decisions'})`,
      evaluatedDecisions: [],
    };
  }
  const refused = refuseProblems(dmn);
  if (refused) return refused;
  const evaluation = new Evaluation(dmn, variables, options);
  const outcome = evaluation.decision(decision);
  return finish(outcome, evaluation, options);
}

/**
 * Invokes a decision service with its parameters (its input data and input decisions, by
 * name); the result is its output decision's value, or a context of several.
 */
export function evaluateDecisionService(
  dmn: CompiledDmn,
  serviceId: string,
  parameters: Record<string, unknown> = {},
  options: EvaluateDecisionOptions = {},
): DecisionEvaluation {
  const service =
    dmn.decisionServices.find((candidate) => candidate.id === serviceId) ??
    dmn.decisionServices.find((candidate) => candidate.name === serviceId);
  if (!service) {
    return {
      ok: false,
      message: `no decision service '${serviceId}' in DMN '${dmn.name || dmn.id}'`,
      evaluatedDecisions: [],
    };
  }
  const refused = refuseProblems(dmn);
  if (refused) return refused;
  const evaluation = new Evaluation(dmn, {}, options);
  return finish(evaluation.service(service, parameters), evaluation, options);
}

function refuseProblems(dmn: CompiledDmn): DecisionEvaluation | undefined {
  if (dmn.problems.length === 0) return undefined;
  const [first] = dmn.problems;
  return {
    ok: false,
    message: `DMN '${dmn.name || dmn.id}' has ${dmn.problems.length} problem(s) and cannot be evaluated; the first: ${first.message}`,
    evaluatedDecisions: [],
  };
}

function finish(
  outcome: Outcome<unknown>,
  evaluation: Evaluation,
  options: EvaluateDecisionOptions,
): DecisionEvaluation {
  const json = (options.values ?? 'json') === 'json';
  const evaluatedDecisions = evaluation.log.map((record) => ({
    ...record,
    inputs: record.inputs.map((input) => ({ ...input, value: convert(input.value, json) })),
    matchedRules: record.matchedRules.map((rule) => ({
      ...rule,
      outputs: convert(rule.outputs, json) as Record<string, unknown>,
    })),
    result: convert(record.result, json),
  }));
  if (!outcome.ok) return { ok: false, message: outcome.message, evaluatedDecisions };
  return { ok: true, result: convert(outcome.value, json), evaluatedDecisions };
}

function convert(value: unknown, json: boolean): unknown {
  return json ? toJson(value) : value;
}

type Scope = Record<string, unknown>;

function failure(message: string): Outcome<never> {
  return { ok: false, message };
}

/** One evaluation of a decision and the decisions it requires; results are computed once. */
class Evaluation {
  readonly log: EvaluatedDecision[] = [];
  private readonly results = new Map<string, unknown>();
  private readonly baseScope: Scope;
  /** a failure inside a function (a business knowledge model), which FEEL sees as null */
  private functionFailure: string | undefined;
  private readonly priorities = new Map<string, unknown[] | undefined>();

  constructor(
    private readonly dmn: CompiledDmn,
    variables: Record<string, unknown>,
    private readonly options: EvaluateDecisionOptions,
    seededResults: ReadonlyMap<string, unknown> = new Map(),
  ) {
    const scope: Scope = { ...variables };
    for (const input of dmn.inputData) {
      if (input.name in variables) {
        scope[input.name] = coerceToType(fromJson(variables[input.name], input.type), input.type);
      }
    }
    for (const model of dmn.knowledgeModels) {
      if (model.logic)
        scope[model.name] = this.functionValue(
          model.logic,
          {},
          `business knowledge model '${model.name}'`,
        );
    }
    for (const service of dmn.decisionServices) scope[service.name] = this.serviceFunction(service);
    // functions close over the scope that holds them, so that they can call one another
    for (const value of Object.values(scope)) {
      if (value instanceof ClosureFunction) value.closure = scope;
    }
    this.baseScope = scope;
    for (const [id, value] of seededResults) this.results.set(id, value);
  }

  decision(decision: CompiledDecision): Outcome<unknown> {
    if (this.results.has(decision.id)) return { ok: true, value: this.results.get(decision.id) };
    const scope: Scope = { ...this.baseScope };
    for (const requiredId of decision.requiredDecisions) {
      const required = this.dmn.decisions.find((candidate) => candidate.id === requiredId);
      if (!required)
        return failure(
          `decision '${decision.name}' requires decision '${requiredId}', which does not exist`,
        );
      const outcome = this.decision(required);
      if (!outcome.ok) return outcome;
      scope[required.name] = outcome.value;
      scope[required.id] = outcome.value;
    }
    const record: EvaluatedDecision = {
      decisionId: decision.id,
      decisionName: decision.name,
      decisionType: decision.decisionType,
      inputs: [],
      matchedRules: [],
      result: null,
    };
    const owner = `decision '${decision.name}'`;
    let outcome: Outcome<unknown>;
    if (decision.logic) {
      this.functionFailure = undefined;
      outcome = this.expression(decision.logic, scope, owner, record);
      if (outcome.ok && this.functionFailure !== undefined) {
        outcome = failure(`${owner}: ${this.functionFailure}`);
      }
    } else {
      // a decision without logic takes its value from outside, as a decision service's input
      outcome = { ok: true, value: scope[decision.name] ?? null };
    }
    if (!outcome.ok) return outcome;
    const value = coerceToType(outcome.value, decision.type);
    this.results.set(decision.id, value);
    this.log.push({ ...record, result: value });
    return { ok: true, value };
  }

  service(service: CompiledDecisionService, parameters: Record<string, unknown>): Outcome<unknown> {
    const variables: Record<string, unknown> = {};
    const seeded = new Map<string, unknown>();
    for (const id of service.inputData) {
      const input = this.dmn.inputData.find((candidate) => candidate.id === id);
      if (input) variables[input.name] = parameters[input.name] ?? null;
    }
    for (const id of service.inputDecisions) {
      const decision = this.dmn.decisions.find((candidate) => candidate.id === id);
      if (decision) seeded.set(id, parameters[decision.name] ?? null);
    }
    const inner = new Evaluation(this.dmn, variables, this.options, seeded);
    const values: Record<string, unknown> = {};
    let last: unknown = null;
    for (const id of service.outputDecisions) {
      const decision = this.dmn.decisions.find((candidate) => candidate.id === id);
      if (!decision)
        return failure(`decision service '${service.name}' has no output decision '${id}'`);
      const outcome = inner.decision(decision);
      if (!outcome.ok) {
        this.log.push(...inner.log);
        return failure(`decision service '${service.name}': ${outcome.message}`);
      }
      values[decision.name] = outcome.value;
      last = outcome.value;
    }
    this.log.push(...inner.log);
    const result = service.outputDecisions.length === 1 ? last : values;
    return { ok: true, value: coerceToType(result, service.type) };
  }

  private serviceFunction(service: CompiledDecisionService): FeelFunction {
    const parameters = [
      ...service.inputData.map((id) => this.dmn.inputData.find((input) => input.id === id)),
      ...service.inputDecisions.map((id) =>
        this.dmn.decisions.find((decision) => decision.id === id),
      ),
    ].filter((parameter) => parameter !== undefined);
    const parameterNames = parameters.map((parameter) => parameter.name);
    return new FeelFunction((...args: unknown[]) => {
      if (args.length < parameters.length) {
        this.functionFailure ??= `decision service '${service.name}' takes ${parameters.length} parameter(s) (${parameterNames.join(', ')}), but was invoked with ${args.length}`;
        return null;
      }
      const values: Record<string, unknown> = {};
      for (const [index, parameter] of parameters.entries()) {
        const argument = args[index] ?? null;
        const value = coerceToType(argument, parameter.type);
        if (value === null && argument !== null) {
          this.functionFailure ??= `decision service '${service.name}': parameter '${parameter.name}' is ${describe(argument)} (a ${feelTypeOf(argument)}), which does not conform to its type`;
          return null;
        }
        values[parameter.name] = value;
      }
      const outcome = this.service(service, values);
      if (!outcome.ok) {
        this.functionFailure ??= outcome.message;
        return null;
      }
      return outcome.value;
    }, parameterNames);
  }

  private functionValue(
    definition: Extract<CompiledExpression, { kind: 'function' }>,
    closure: Scope,
    owner: string,
  ): ClosureFunction {
    const parameterNames = definition.parameters.map((parameter) => parameter.name);
    const fn: ClosureFunction = new ClosureFunction((...args: unknown[]) => {
      if (args.length < definition.parameters.length) {
        this.functionFailure ??= `${owner} takes ${parameterNames.length} parameter(s) (${parameterNames.join(', ')}), but was invoked with ${args.length}`;
        return null;
      }
      const local: Scope = { ...fn.closure };
      for (const [index, parameter] of definition.parameters.entries()) {
        const argument = args[index] ?? null;
        const value = coerceToType(argument, parameter.type);
        if (value === null && argument !== null) {
          this.functionFailure ??= `${owner}: parameter '${parameter.name}' is ${describe(argument)} (a ${feelTypeOf(argument)}), which does not conform to its type`;
          return null;
        }
        local[parameter.name] = value;
      }
      if (!definition.body) return null;
      const outcome = this.expression(definition.body, local, owner);
      if (!outcome.ok) {
        this.functionFailure ??= outcome.message;
        return null;
      }
      return outcome.value;
    }, parameterNames);
    fn.closure = closure;
    return fn;
  }

  private expression(
    expression: CompiledExpression,
    scope: Scope,
    owner: string,
    record?: EvaluatedDecision,
  ): Outcome<unknown> {
    const outcome = this.untypedExpression(expression, scope, owner, record);
    if (!outcome.ok || !expression.type) return outcome;
    return { ok: true, value: coerceToType(outcome.value, expression.type) };
  }

  private untypedExpression(
    expression: CompiledExpression,
    scope: Scope,
    owner: string,
    record?: EvaluatedDecision,
  ): Outcome<unknown> {
    switch (expression.kind) {
      case 'literal': {
        if (expression.text.trim() === '') return { ok: true, value: null };
        const outcome = evaluateFeel(expression.text, scope);
        return outcome.ok ? outcome : failure(`${owner}: ${outcome.message}`);
      }
      case 'decisionTable':
        return this.table(expression, scope, owner, record);
      case 'context': {
        const local: Scope = { ...scope };
        const result: Record<string, unknown> = {};
        for (const entry of expression.entries) {
          const where = `${owner}, context entry '${entry.name ?? '(result)'}'`;
          const outcome = this.expression(entry.value, local, where);
          if (!outcome.ok) return outcome;
          const value = coerceToType(outcome.value, entry.type);
          if (entry.name === undefined) return { ok: true, value };
          local[entry.name] = value;
          result[entry.name] = value;
        }
        return { ok: true, value: result };
      }
      case 'list': {
        const items: unknown[] = [];
        for (const item of expression.items) {
          const outcome = this.expression(item, scope, owner);
          if (!outcome.ok) return outcome;
          items.push(outcome.value);
        }
        return { ok: true, value: items };
      }
      case 'relation': {
        const rows: Record<string, unknown>[] = [];
        for (const row of expression.rows) {
          const context: Record<string, unknown> = {};
          for (const [index, cell] of row.entries()) {
            const outcome = this.expression(cell, scope, owner);
            if (!outcome.ok) return outcome;
            context[expression.columns[index] ?? String(index)] = outcome.value;
          }
          rows.push(context);
        }
        return { ok: true, value: rows };
      }
      case 'invocation': {
        const target = evaluateFeel(expression.function, scope);
        if (!target.ok) return failure(`${owner}: ${target.message}`);
        const fn = target.value;
        if (!(fn instanceof FeelFunction)) {
          return failure(
            `${owner}: '${expression.function}' is ${describe(fn)}, not a function (expected the name of a business knowledge model or decision service)`,
          );
        }
        const args: Record<string, unknown> = {};
        for (const binding of expression.bindings) {
          if (!binding.value) {
            args[binding.name] = null;
            continue;
          }
          const outcome = this.expression(
            binding.value,
            scope,
            `${owner}, binding '${binding.name}'`,
          );
          if (!outcome.ok) return outcome;
          args[binding.name] = outcome.value;
        }
        const value: unknown = fn.invoke(args);
        return {
          ok: true,
          value:
            value instanceof Object && value.constructor.name === 'InvocationFailure'
              ? null
              : (value ?? null),
        };
      }
      case 'function':
        return { ok: true, value: this.functionValue(expression, scope, owner) };
    }
  }

  private table(
    table: CompiledDecisionTable,
    scope: Scope,
    owner: string,
    record: EvaluatedDecision | undefined,
  ): Outcome<unknown> {
    const values: unknown[] = [];
    const inputs: EvaluatedInput[] = [];
    const plan = decisionTablePlan(table);
    for (let column = 0; column < table.inputs.length; column++) {
      const input = table.inputs[column];
      const evaluated = plan.inputs[column](scope);
      if (!evaluated.ok) return failure(`${inputWhere(owner, input)}: ${evaluated.message}`);
      const value = fromJson(evaluated.value, input.type);
      if (!conforms(value, input.type)) {
        return failure(
          `${inputWhere(owner, input)} is ${describe(value)} (a ${feelTypeOf(value)}), but its typeRef is ${input.typeRef ?? 'another type'} (expected a value of that type or null)`,
        );
      }
      if (input.inputValues !== undefined && value !== null) {
        const allowed = testFeel(input.inputValues, value, scope);
        if (!allowed.ok) {
          return failure(`${inputWhere(owner, input)}: input values ${allowed.message}`);
        }
        if (!allowed.value) {
          return failure(
            `${inputWhere(owner, input)} is ${describe(value)}, which is not among its input values ${input.inputValues}`,
          );
        }
      }
      values.push(value);
      inputs.push({ id: input.id, name: input.name, value });
    }
    if (record) record.inputs.push(...inputs);

    const firstOnly = table.hitPolicy === 'FIRST';
    const matched: RulePlan[] = [];
    for (let position = 0; position < plan.rules.length; position++) {
      const rulePlan = plan.rules[position];
      const tests = rulePlan.tests;
      let matches = true;
      for (let column = 0; column < tests.length && matches; column++) {
        const test = tests[column];
        if (test === undefined) continue;
        const tested = test(values[column], scope);
        if (!tested.ok) {
          const { rule } = rulePlan;
          return failure(
            `${owner}: rule '${rule.id}' (#${rule.index}), input '${table.inputs[column]?.name}': ${tested.message}`,
          );
        }
        matches = tested.value;
      }
      if (matches) {
        matched.push(rulePlan);
        // the rules after the first match only matter for FIRST if one of them can fail
        if (firstOnly && position >= plan.lastFallibleRule) break;
      }
    }

    const outputs = new TableOutputs(table, scope, owner);
    const single =
      table.hitPolicy === 'UNIQUE' ||
      table.hitPolicy === 'FIRST' ||
      table.hitPolicy === 'PRIORITY' ||
      table.hitPolicy === 'ANY';

    if (matched.length === 0) {
      const hasDefaults = table.outputs.some((output) => output.defaultOutput !== undefined);
      if (hasDefaults) {
        const defaults: Record<string, unknown> = {};
        for (const output of table.outputs) {
          if (output.defaultOutput === undefined) {
            defaults[outputs.name(output)] = null;
            continue;
          }
          const evaluated = evaluateFeel(output.defaultOutput, scope);
          if (!evaluated.ok)
            return failure(
              `${owner}: default output of '${outputs.name(output)}': ${evaluated.message}`,
            );
          defaults[outputs.name(output)] = coerceToType(evaluated.value, output.type);
        }
        if (single) return { ok: true, value: outputs.project(defaults) };
        return this.aggregate(table, [outputs.project(defaults)], owner);
      }
      if (this.options.failWhenNoRuleMatches) {
        return failure(
          `${owner}: hit policy ${table.hitPolicy}, but no rule matched for inputs ${inputsText(inputs)} and the outputs have no default value (expected a rule for these inputs)`,
        );
      }
      if (single) return { ok: true, value: null };
      return this.aggregate(table, [], owner);
    }

    switch (table.hitPolicy) {
      case 'UNIQUE': {
        if (matched.length > 1) {
          return failure(
            `${owner}: hit policy UNIQUE, but rules ${ruleList(matched.map(({ rule }) => rule))} matched for inputs ${inputsText(inputs)} (expected at most one rule to match)`,
          );
        }
        return this.chosen(matched[0], outputs, record);
      }
      case 'FIRST':
        return this.chosen(matched[0], outputs, record);
      case 'ANY': {
        const all = outputs.ofAll(matched);
        if (!all.ok) return all;
        const [first] = all.value;
        const different = all.value.find((rule) =>
          Object.keys(first.outputs).some(
            (key) => !feelEquals(first.outputs[key], rule.outputs[key]),
          ),
        );
        if (different) {
          return failure(
            `${owner}: hit policy ANY, but rules ${ruleList([
              { id: first.ruleId, index: first.ruleIndex },
              { id: different.ruleId, index: different.ruleIndex },
            ])} matched with different outputs (${describe(first.outputs)} and ${describe(different.outputs)}) for inputs ${inputsText(inputs)} (expected all matching rules to have the same outputs)`,
          );
        }
        record?.matchedRules.push(...all.value);
        return { ok: true, value: outputs.project(first.outputs) };
      }
      case 'PRIORITY':
      case 'OUTPUT ORDER': {
        const all = outputs.ofAll(matched);
        if (!all.ok) return all;
        const ordered = this.byPriority(table, all.value, (output) => outputs.name(output));
        if (table.hitPolicy === 'PRIORITY') {
          record?.matchedRules.push(ordered[0]);
          return { ok: true, value: outputs.project(ordered[0].outputs) };
        }
        record?.matchedRules.push(...ordered);
        return this.aggregate(
          table,
          ordered.map((rule) => outputs.project(rule.outputs)),
          owner,
        );
      }
      case 'RULE ORDER':
      case 'COLLECT': {
        const all = outputs.ofAll(matched);
        if (!all.ok) return all;
        record?.matchedRules.push(...all.value);
        return this.aggregate(
          table,
          all.value.map((rule) => outputs.project(rule.outputs)),
          owner,
        );
      }
    }
  }

  private chosen(
    rule: RulePlan,
    outputs: TableOutputs,
    record: EvaluatedDecision | undefined,
  ): Outcome<unknown> {
    const outcome = outputs.of(rule);
    if (!outcome.ok) return outcome;
    record?.matchedRules.push(outcome.value);
    return { ok: true, value: outputs.project(outcome.value.outputs) };
  }

  /** Orders rules by the position of their outputs in the output values lists (stable). */
  private byPriority(
    table: CompiledDecisionTable,
    rules: MatchedRule[],
    outputName: (output: CompiledOutput) => string,
  ): MatchedRule[] {
    const lists = table.outputs.map((output) => this.outputValueList(output));
    const key = (rule: MatchedRule) =>
      table.outputs.map((output, column) => {
        const list = lists[column];
        if (!list) return 0;
        const position = list.findIndex((candidate) =>
          feelEquals(candidate, rule.outputs[outputName(output)]),
        );
        return position < 0 ? list.length : position;
      });
    const keyed = rules.map((rule) => ({ rule, key: key(rule) }));
    keyed.sort((a, b) => {
      for (let column = 0; column < a.key.length; column++) {
        if (a.key[column] !== b.key[column]) return a.key[column] - b.key[column];
      }
      return 0;
    });
    return keyed.map(({ rule }) => rule);
  }

  private outputValueList(output: CompiledOutput): unknown[] | undefined {
    if (output.outputValues === undefined) return undefined;
    if (!this.priorities.has(output.id)) {
      const evaluated = evaluateFeel(`[${output.outputValues}]`, {});
      this.priorities.set(
        output.id,
        evaluated.ok && Array.isArray(evaluated.value) ? evaluated.value : undefined,
      );
    }
    return this.priorities.get(output.id);
  }

  private aggregate(
    table: CompiledDecisionTable,
    values: unknown[],
    owner: string,
  ): Outcome<unknown> {
    switch (table.aggregation) {
      case undefined:
        return { ok: true, value: values };
      case 'COUNT':
        return { ok: true, value: values.length };
      default: {
        if (values.length === 0) return { ok: true, value: null };
        const fn = { SUM: 'sum', MIN: 'min', MAX: 'max' }[table.aggregation];
        const outcome = evaluateFeel(`${fn}(values)`, { values });
        if (!outcome.ok)
          return failure(
            `${owner}: aggregation ${table.aggregation} of ${describe(values)}: ${outcome.message}`,
          );
        if (outcome.value === null && values.some((value) => value !== null)) {
          return failure(
            `${owner}: aggregation ${table.aggregation} of ${describe(values)} failed (expected outputs that are numbers, or comparable for MIN and MAX)`,
          );
        }
        return outcome;
      }
    }
  }
}

function inputWhere(owner: string, input: CompiledDecisionTable['inputs'][number]): string {
  return `${owner}: input '${input.name}' (${input.id})`;
}

function inputsText(inputs: readonly EvaluatedInput[]): string {
  return `{${inputs.map((input) => `${input.name}: ${describe(input.value)}`).join(', ')}}`;
}

function ruleList(rules: readonly { id: string; index: number }[]): string {
  const names = rules.map((rule) => `'${rule.id}' (#${rule.index})`);
  return names.length <= 2
    ? names.join(' and ')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The outputs of a table's matched rules in one evaluation, by output name. */
class TableOutputs {
  constructor(
    private readonly table: CompiledDecisionTable,
    private readonly scope: Scope,
    private readonly owner: string,
  ) {}

  /** an output without a name takes the decision's name */
  name(output: CompiledOutput): string {
    return output.name || this.owner.replace(/^decision '(.*)'.*$/, '$1');
  }

  /** a table with one output gives that output's value, one with several a context */
  project(outputs: Record<string, unknown>): unknown {
    return this.table.outputs.length === 1 ? outputs[this.name(this.table.outputs[0])] : outputs;
  }

  of({ rule, outputs: entries }: RulePlan): Outcome<MatchedRule> {
    const outputs: Record<string, unknown> = {};
    const { table, scope, owner } = this;
    for (let column = 0; column < table.outputs.length; column++) {
      const output = table.outputs[column];
      const entry = entries[column];
      if (entry === undefined) {
        outputs[this.name(output)] = null;
        continue;
      }
      const evaluated = entry(scope);
      if (!evaluated.ok) {
        return failure(
          `${owner}: rule '${rule.id}' (#${rule.index}), output '${this.name(output)}': ${evaluated.message}`,
        );
      }
      outputs[this.name(output)] = coerceToType(evaluated.value, output.type);
    }
    return { ok: true, value: { ruleId: rule.id, ruleIndex: rule.index, outputs } };
  }

  ofAll(rules: readonly RulePlan[]): Outcome<MatchedRule[]> {
    const all: MatchedRule[] = [];
    for (const rule of rules) {
      const outcome = this.of(rule);
      if (!outcome.ok) return outcome;
      all.push(outcome.value);
    }
    return { ok: true, value: all };
  }
}

/** A FEEL function whose scope can be set after creation, so that functions can see each other. */
class ClosureFunction extends FeelFunction {
  closure: Scope = {};
}
