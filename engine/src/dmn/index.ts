/**
 * Kontor's DMN library: compiles DMN 1.3 decision models and evaluates their decisions with
 * FEEL (feelin). Pure: no database, no engine, no I/O; the engine deploys what `compileDmn`
 * accepts and records what `evaluateDecision` reports.
 *
 *   const dmn = await compileDmn(xml);
 *   if (dmn.problems.length > 0) throw new Error(dmn.problems.map((p) => p.message).join('\n'));
 *   const evaluation = evaluateDecision(dmn, 'partnerAssignment', { region: 'north', amount: 1200 });
 *   if (!evaluation.ok) raiseIncident(evaluation.message);
 *   else setVariable('partner', evaluation.result); // evaluation.evaluatedDecisions → audit record
 */
export { compileDmn, feelSyntaxProblem } from './compile-dmn.js';
export {
  evaluateDecision,
  evaluateDecisionService,
  type DecisionEvaluation,
  type EvaluateDecisionOptions,
  type EvaluatedDecision,
  type EvaluatedInput,
  type MatchedRule,
} from './evaluate-decision.js';
export type * from './dmn-model.js';
