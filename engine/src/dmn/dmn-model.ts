/**
 * The compiled form of a DMN model: what `compileDmn` produces and `evaluateDecision` runs.
 * Plain data (FEEL stays text), so a compiled model can be kept, cached and inspected; every
 * element keeps the id it has in the XML so that results and errors can point at it.
 */

export type HitPolicy =
  'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';

export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

/** FEEL's built-in types, by their FEEL names. */
export type BaseTypeName =
  | 'number'
  | 'string'
  | 'boolean'
  | 'date'
  | 'time'
  | 'date and time'
  | 'days and time duration'
  | 'years and months duration'
  | 'context'
  | 'list'
  | 'function';

/** A typeRef resolved against the model's item definitions. */
export type DmnType =
  | { readonly kind: 'any' }
  | { readonly kind: 'base'; readonly name: BaseTypeName; readonly allowedValues?: string }
  | { readonly kind: 'collection'; readonly item: DmnType; readonly allowedValues?: string }
  | {
      readonly kind: 'structure';
      readonly components: readonly { readonly name: string; readonly type: DmnType }[];
    };

export interface CompiledInput {
  readonly id: string;
  /** the label, or the input expression when there is no label */
  readonly name: string;
  readonly expression: string;
  readonly type: DmnType;
  /** the typeRef as written, for messages */
  readonly typeRef?: string;
  readonly inputValues?: string;
}

export interface CompiledOutput {
  readonly id: string;
  readonly name: string;
  readonly type: DmnType;
  readonly typeRef?: string;
  /** the output values list (unary tests), which orders PRIORITY and OUTPUT ORDER */
  readonly outputValues?: string;
  readonly defaultOutput?: string;
}

export interface CompiledRule {
  readonly id: string;
  /** 1-based position in the table, as the modeler shows it */
  readonly index: number;
  /** one unary test per input; '' for "-" or an empty cell, which match anything */
  readonly inputEntries: readonly string[];
  /** one expression per output; '' yields null */
  readonly outputEntries: readonly string[];
}

export interface CompiledDecisionTable {
  readonly kind: 'decisionTable';
  readonly id: string;
  readonly hitPolicy: HitPolicy;
  readonly aggregation?: Aggregation;
  readonly inputs: readonly CompiledInput[];
  readonly outputs: readonly CompiledOutput[];
  readonly rules: readonly CompiledRule[];
}

/**
 * A boxed expression: the decision logic of a decision, or a part of one. `type` is the
 * expression's own typeRef; its value is coerced to it.
 */
export type CompiledExpression = { readonly type?: DmnType } & (
  | { readonly kind: 'literal'; readonly id: string; readonly text: string }
  | CompiledDecisionTable
  | {
      readonly kind: 'context';
      readonly id: string;
      /** an entry without a name is the context's result */
      readonly entries: readonly {
        readonly name?: string;
        readonly type: DmnType;
        readonly value: CompiledExpression;
      }[];
    }
  | { readonly kind: 'list'; readonly id: string; readonly items: readonly CompiledExpression[] }
  | {
      readonly kind: 'relation';
      readonly id: string;
      readonly columns: readonly string[];
      readonly rows: readonly (readonly CompiledExpression[])[];
    }
  | {
      readonly kind: 'invocation';
      readonly id: string;
      /** FEEL expression naming the function, usually a business knowledge model's name */
      readonly function: string;
      readonly bindings: readonly { readonly name: string; readonly value?: CompiledExpression }[];
    }
  | {
      readonly kind: 'function';
      readonly id: string;
      readonly parameters: readonly { readonly name: string; readonly type: DmnType }[];
      readonly body?: CompiledExpression;
    }
);

export type DecisionType =
  | 'decisionTable'
  | 'literalExpression'
  | 'context'
  | 'list'
  | 'relation'
  | 'invocation'
  | 'functionDefinition'
  | 'none';

export interface CompiledDecision {
  readonly id: string;
  readonly name: string;
  /**
   * the `zeebe:versionTag` of the decision, which business rule tasks with binding type
   * `versionTag` select it by; undefined when the decision has none
   */
  readonly versionTag?: string;
  readonly decisionType: DecisionType;
  /** the decision's variable type: results that do not conform become null, as DMN says */
  readonly type: DmnType;
  /** ids of the decisions whose results this one reads, evaluated first */
  readonly requiredDecisions: readonly string[];
  /** ids of business knowledge models and decision services this one invokes */
  readonly requiredKnowledge: readonly string[];
  readonly logic?: CompiledExpression;
}

export interface CompiledKnowledgeModel {
  readonly id: string;
  readonly name: string;
  readonly requiredKnowledge: readonly string[];
  readonly logic?: Extract<CompiledExpression, { kind: 'function' }>;
}

export interface CompiledDecisionService {
  readonly id: string;
  readonly name: string;
  /** the type of the service's result */
  readonly type: DmnType;
  readonly outputDecisions: readonly string[];
  readonly encapsulatedDecisions: readonly string[];
  readonly inputDecisions: readonly string[];
  readonly inputData: readonly string[];
}

export interface CompiledInputData {
  readonly id: string;
  readonly name: string;
  readonly type: DmnType;
}

export interface DmnProblem {
  /** id of the decision, rule, input or other element concerned; undefined for the file */
  readonly elementId?: string;
  readonly message: string;
}

export interface CompiledDmn {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly decisions: CompiledDecision[];
  readonly knowledgeModels: CompiledKnowledgeModel[];
  readonly decisionServices: CompiledDecisionService[];
  readonly inputData: CompiledInputData[];
  readonly problems: DmnProblem[];
}
