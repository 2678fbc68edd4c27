/**
 * A decision table's FEEL compiled once into closures: input expressions, each rule's input
 * entries (unary tests) and output entries. The compiled model stays plain data; plans sit
 * beside it, keyed by the table object, made when `compileDmn` returns and again on demand for
 * a model that was copied or read back from storage. A plan never changes what the table means.
 *
 *   const plan = decisionTablePlan(table);
 *   const matches = plan.rules[0].tests[0]?.(value, scope); // undefined test: "-", any value
 */
import {
  cannotFail,
  compileExpression,
  compileUnaryTests,
  type FeelExpressionFn,
  type FeelUnaryTestsFn,
} from './compiled-feel.js';
import type {
  CompiledDecisionTable,
  CompiledDmn,
  CompiledExpression,
  CompiledRule,
} from './dmn-model.js';

export interface RulePlan {
  readonly rule: CompiledRule;
  /** one per input entry; undefined for "-" or an empty cell, which match anything */
  readonly tests: readonly (FeelUnaryTestsFn | undefined)[];
  /** one per output entry; undefined for an empty cell, which yields null */
  readonly outputs: readonly (FeelExpressionFn | undefined)[];
}

export interface DecisionTablePlan {
  readonly inputs: readonly FeelExpressionFn[];
  readonly rules: readonly RulePlan[];
  /**
   * position of the last rule with an input entry that feelin evaluates (which can fail), -1
   * when there is none: after a match at or beyond it, FIRST need not test the other rules
   */
  readonly lastFallibleRule: number;
}

const plans = new WeakMap<CompiledDecisionTable, DecisionTablePlan>();

/** The table's plan, compiled on first use. */
export function decisionTablePlan(table: CompiledDecisionTable): DecisionTablePlan {
  let plan = plans.get(table);
  if (!plan) {
    const rules: RulePlan[] = table.rules.map((rule) => ({
      rule,
      tests: rule.inputEntries.map((entry) =>
        entry === '' ? undefined : compileUnaryTests(entry),
      ),
      outputs: rule.outputEntries.map((entry) =>
        entry.trim() === '' ? undefined : compileExpression(entry),
      ),
    }));
    plan = {
      inputs: table.inputs.map((input) => compileExpression(input.expression)),
      rules,
      lastFallibleRule: rules.findLastIndex((rule) =>
        rule.tests.some((test) => test !== undefined && !cannotFail(test)),
      ),
    };
    plans.set(table, plan);
  }
  return plan;
}

/** Compiles the plans of every decision table in the model, wherever it is nested. */
export function planDecisionTables(dmn: CompiledDmn): void {
  for (const decision of dmn.decisions) if (decision.logic) planExpression(decision.logic);
  for (const model of dmn.knowledgeModels) if (model.logic) planExpression(model.logic);
}

function planExpression(expression: CompiledExpression): void {
  switch (expression.kind) {
    case 'decisionTable':
      decisionTablePlan(expression);
      return;
    case 'context':
      for (const entry of expression.entries) planExpression(entry.value);
      return;
    case 'list':
      for (const item of expression.items) planExpression(item);
      return;
    case 'relation':
      for (const row of expression.rows) for (const cell of row) planExpression(cell);
      return;
    case 'invocation':
      for (const binding of expression.bindings) if (binding.value) planExpression(binding.value);
      return;
    case 'function':
      if (expression.body) planExpression(expression.body);
      return;
    case 'literal':
      return;
  }
}
