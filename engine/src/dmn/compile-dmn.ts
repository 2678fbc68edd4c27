/**
 * Compiles a DMN file (1.3; 1.1, 1.2, 1.4 and 1.5 files are read as 1.3) into a `CompiledDmn`,
 * or lists every problem that keeps a decision from running: FEEL that does not parse, an
 * unknown hit policy or type, a requirement that points nowhere, a cycle in the decision
 * requirements graph. Each problem names the element and says what was expected. This module
 * never touches a database or the engine.
 *
 *   const dmn = await compileDmn(xml);
 *   if (dmn.problems.length > 0) reject(dmn.problems);
 */
import { DmnModdle } from 'dmn-moddle';
import { parseExpression, parseUnaryTests } from 'feelin';
import { planDecisionTables } from './decision-table-plan.js';
import type {
  Aggregation,
  BaseTypeName,
  CompiledDecision,
  CompiledDecisionService,
  CompiledDecisionTable,
  CompiledDmn,
  CompiledExpression,
  CompiledInputData,
  CompiledKnowledgeModel,
  DecisionType,
  DmnProblem,
  DmnType,
  HitPolicy,
} from './dmn-model.js';

const DMN13_NAMESPACE = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
/** Camunda 8's extension namespace, whatever prefix a file gives it */
const ZEEBE_NAMESPACE = 'http://camunda.org/schema/zeebe/1.0';
const OTHER_DMN_NAMESPACES = [
  'http://www.omg.org/spec/DMN/20151101/dmn.xsd',
  'https://www.omg.org/spec/DMN/20151101/dmn.xsd',
  'http://www.omg.org/spec/DMN/20180521/MODEL/',
  'https://www.omg.org/spec/DMN/20211108/MODEL/',
  'https://www.omg.org/spec/DMN/20230324/MODEL/',
];

const HIT_POLICIES: readonly HitPolicy[] = [
  'UNIQUE',
  'FIRST',
  'PRIORITY',
  'ANY',
  'COLLECT',
  'RULE ORDER',
  'OUTPUT ORDER',
];
const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

const BASE_TYPES: Record<string, BaseTypeName | 'any'> = {
  number: 'number',
  string: 'string',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  dateTime: 'date and time',
  'date and time': 'date and time',
  dayTimeDuration: 'days and time duration',
  'days and time duration': 'days and time duration',
  yearMonthDuration: 'years and months duration',
  'years and months duration': 'years and months duration',
  duration: 'days and time duration',
  context: 'context',
  list: 'list',
  function: 'function',
  Any: 'any',
  any: 'any',
};

// moddle elements are untyped objects; this is the shape the compiler reads from them.
interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  text?: string;
  typeRef?: string;
  label?: string;
  href?: string;
  [property: string]: unknown;
}

function many(element: ModdleElement | undefined, property: string): ModdleElement[] {
  const value = element?.[property];
  return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

function one(element: ModdleElement | undefined, property: string): ModdleElement | undefined {
  return element?.[property] as ModdleElement | undefined;
}

/** `#id` or `namespace#id` → `id` */
function hrefId(reference: ModdleElement | undefined): string | undefined {
  const href = reference?.href;
  if (typeof href !== 'string') return undefined;
  const hash = href.lastIndexOf('#');
  return hash >= 0 ? href.slice(hash + 1) : href;
}

/** Reads DMN 1.1–1.5 files with the 1.3 meta-model: the elements the engine reads are alike. */
function asDmn13(xml: string): string {
  let result = xml;
  for (const namespace of OTHER_DMN_NAMESPACES)
    result = result.split(namespace).join(DMN13_NAMESPACE);
  return result;
}

export async function compileDmn(xml: string): Promise<CompiledDmn> {
  let definitions: ModdleElement;
  try {
    const { rootElement } = await new DmnModdle().fromXML(asDmn13(xml), 'dmn:Definitions');
    definitions = rootElement as ModdleElement;
  } catch (error) {
    return emptyModel([
      {
        message: `the file is not DMN XML that can be read: ${(error as Error).message} (expected <definitions> in namespace ${DMN13_NAMESPACE})`,
      },
    ]);
  }
  const dmn = new DmnCompiler(definitions).compile();
  // decision tables are compiled to closures once here, at deployment, not on each evaluation
  if (dmn.problems.length === 0) planDecisionTables(dmn);
  return dmn;
}

function emptyModel(problems: DmnProblem[]): CompiledDmn {
  return {
    id: '',
    name: '',
    namespace: '',
    decisions: [],
    knowledgeModels: [],
    decisionServices: [],
    inputData: [],
    problems,
  };
}

class DmnCompiler {
  private readonly problems: DmnProblem[] = [];
  private readonly itemDefinitions = new Map<string, ModdleElement>();
  private readonly resolving = new Set<string>();
  /** every name FEEL may refer to, so that names with spaces parse as one name */
  private readonly parseContext: Record<string, unknown> = {};

  constructor(private readonly definitions: ModdleElement) {
    for (const item of many(definitions, 'itemDefinition')) {
      if (item.name) this.itemDefinitions.set(item.name, item);
    }
    this.collectNames(definitions);
  }

  compile(): CompiledDmn {
    const decisions: CompiledDecision[] = [];
    const knowledgeModels: CompiledKnowledgeModel[] = [];
    const decisionServices: CompiledDecisionService[] = [];
    const inputData: CompiledInputData[] = [];
    for (const element of many(this.definitions, 'drgElement')) {
      switch (element.$type) {
        case 'dmn:Decision':
          decisions.push(this.decision(element));
          break;
        case 'dmn:BusinessKnowledgeModel':
          knowledgeModels.push(this.knowledgeModel(element));
          break;
        case 'dmn:DecisionService':
          decisionServices.push(this.decisionService(element));
          break;
        case 'dmn:InputData':
          inputData.push({
            id: element.id ?? '',
            name: element.name ?? '',
            type: this.type(one(element, 'variable')?.typeRef, element.id),
          });
          break;
        default:
          break; // knowledge sources and other notation-only elements
      }
    }
    this.checkRequirements(decisions, knowledgeModels, decisionServices, inputData);
    return {
      id: this.definitions.id ?? '',
      name: this.definitions.name ?? '',
      namespace: String(this.definitions.namespace ?? ''),
      decisions,
      knowledgeModels,
      decisionServices,
      inputData,
      problems: this.problems,
    };
  }

  private problem(elementId: string | undefined, message: string): void {
    this.problems.push({ elementId, message });
  }

  private collectNames(element: unknown, depth = 0): void {
    if (depth > 64 || element === null || typeof element !== 'object') return;
    if (Array.isArray(element)) {
      for (const item of element) this.collectNames(item, depth + 1);
      return;
    }
    const moddle = element as ModdleElement;
    if (typeof moddle.name === 'string' && moddle.name !== '')
      this.parseContext[moddle.name] = null;
    if (typeof moddle.label === 'string' && moddle.label !== '')
      this.parseContext[moddle.label] = null;
    for (const [key, value] of Object.entries(moddle)) {
      if (key.startsWith('$') || key === 'dmnDI') continue;
      this.collectNames(value, depth + 1);
    }
  }

  private decision(element: ModdleElement): CompiledDecision {
    const id = element.id ?? '';
    const name = element.name ?? id;
    if (!element.name) this.problem(id, `decision '${id}' has no name (expected a name attribute)`);
    const requiredDecisions: string[] = [];
    for (const requirement of many(element, 'informationRequirement')) {
      const decisionId = hrefId(one(requirement, 'requiredDecision'));
      if (decisionId) requiredDecisions.push(decisionId);
    }
    const requiredKnowledge = many(element, 'knowledgeRequirement')
      .map((requirement) => hrefId(one(requirement, 'requiredKnowledge')))
      .filter((value): value is string => value !== undefined);
    const logicElement = one(element, 'decisionLogic');
    const logic = logicElement ? this.expression(logicElement, `decision '${name}'`) : undefined;
    const versionTag = this.versionTag(element, id, name);
    return {
      id,
      name,
      ...(versionTag === undefined ? {} : { versionTag }),
      decisionType: decisionType(logic),
      type: this.type(one(element, 'variable')?.typeRef, id),
      requiredDecisions,
      requiredKnowledge,
      logic,
    };
  }

  /**
   * The decision's `<zeebe:versionTag value="…"/>`. dmn-moddle has no Zeebe descriptor, so the
   * element arrives as a generic one that keeps its namespace; it is matched by namespace, not
   * by prefix. An empty value is no tag; two tags make the version ambiguous.
   */
  private versionTag(element: ModdleElement, id: string, name: string): string | undefined {
    const tags = many(one(element, 'extensionElements'), 'values').filter((value) => {
      const ns = (value.$descriptor as { ns?: { uri?: string; localName?: string } } | undefined)
        ?.ns;
      return ns?.uri === ZEEBE_NAMESPACE && ns.localName === 'versionTag';
    });
    if (tags.length > 1) {
      this.problem(
        id,
        `decision '${name}' has ${tags.length} zeebe:versionTag elements (expected at most one)`,
      );
    }
    const value = tags[0]?.value;
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  }

  private knowledgeModel(element: ModdleElement): CompiledKnowledgeModel {
    const id = element.id ?? '';
    const name = element.name ?? id;
    const logicElement = one(element, 'encapsulatedLogic');
    const logic = logicElement
      ? this.expression(logicElement, `business knowledge model '${name}'`)
      : undefined;
    return {
      id,
      name,
      requiredKnowledge: many(element, 'knowledgeRequirement')
        .map((requirement) => hrefId(one(requirement, 'requiredKnowledge')))
        .filter((value): value is string => value !== undefined),
      logic: logic?.kind === 'function' ? logic : undefined,
    };
  }

  private decisionService(element: ModdleElement): CompiledDecisionService {
    const ids = (property: string) =>
      many(element, property)
        .map((reference) => hrefId(reference))
        .filter((value): value is string => value !== undefined);
    return {
      id: element.id ?? '',
      name: element.name ?? element.id ?? '',
      type: this.serviceType(one(element, 'variable')?.typeRef, element.id),
      outputDecisions: ids('outputDecision'),
      encapsulatedDecisions: ids('encapsulatedDecision'),
      inputDecisions: ids('inputDecision'),
      inputData: ids('inputData'),
    };
  }

  /** A service's variable may name a function type; its result has the function's output type. */
  private serviceType(typeRef: string | undefined, elementId: string | undefined): DmnType {
    const functionItem = typeRef
      ? one(this.itemDefinitions.get(typeRef), 'functionItem')
      : undefined;
    if (functionItem) return this.type(String(functionItem.outputTypeRef ?? ''), elementId);
    return this.type(typeRef, elementId);
  }

  private expression(element: ModdleElement, owner: string): CompiledExpression {
    const compiled = this.untypedExpression(element, owner);
    if (!element.typeRef) return compiled;
    return { ...compiled, type: this.type(element.typeRef, element.id) };
  }

  private untypedExpression(element: ModdleElement, owner: string): CompiledExpression {
    const id = element.id ?? '';
    switch (element.$type) {
      case 'dmn:LiteralExpression': {
        const text = element.text ?? '';
        this.checkFeel(text, 'expression', id, `${owner}: literal expression`);
        return { kind: 'literal', id, text };
      }
      case 'dmn:DecisionTable':
        return this.decisionTable(element, owner);
      case 'dmn:Context':
        return {
          kind: 'context',
          id,
          entries: many(element, 'contextEntry').map((entry) => {
            const variable = one(entry, 'variable');
            const value = one(entry, 'value');
            const entryName = variable?.name;
            const where = `${owner}: context entry '${entryName ?? '(result)'}'`;
            return {
              name: entryName,
              type: this.type(variable?.typeRef, entry.id ?? id),
              value: value
                ? this.expression(value, where)
                : { kind: 'literal' as const, id: entry.id ?? id, text: '' },
            };
          }),
        };
      case 'dmn:List':
        return {
          kind: 'list',
          id,
          items: many(element, 'elements').map((item) => this.expression(item, `${owner}: list`)),
        };
      case 'dmn:Relation':
        return {
          kind: 'relation',
          id,
          columns: many(element, 'column').map((column) => column.name ?? ''),
          rows: many(element, 'row').map((row) =>
            many(row, 'elements').map((cell) => this.expression(cell, `${owner}: relation`)),
          ),
        };
      case 'dmn:Invocation': {
        const called = one(element, 'calledFunction');
        const calledText = called?.$type === 'dmn:LiteralExpression' ? (called.text ?? '') : '';
        if (calledText.trim() === '') {
          this.problem(
            id,
            `${owner}: invocation names no function (expected a literal expression with the name of a business knowledge model)`,
          );
        } else {
          this.checkFeel(calledText, 'expression', id, `${owner}: invoked function`);
        }
        return {
          kind: 'invocation',
          id,
          function: calledText,
          bindings: many(element, 'binding').map((binding) => {
            const formula = one(binding, 'bindingFormula');
            const parameter = one(binding, 'parameter')?.name ?? '';
            return {
              name: parameter,
              value: formula
                ? this.expression(formula, `${owner}: binding '${parameter}'`)
                : undefined,
            };
          }),
        };
      }
      case 'dmn:FunctionDefinition': {
        const kind = String(element.kind ?? 'FEEL');
        if (kind !== 'FEEL') {
          this.problem(id, `${owner}: function kind '${kind}' is not supported (expected FEEL)`);
        }
        const body = one(element, 'body');
        return {
          kind: 'function',
          id,
          parameters: many(element, 'formalParameter').map((parameter) => ({
            name: parameter.name ?? '',
            type: this.type(parameter.typeRef, parameter.id ?? id),
          })),
          body: body ? this.expression(body, owner) : undefined,
        };
      }
      default:
        this.problem(
          id,
          `${owner}: boxed expression ${element.$type.replace('dmn:', '')} is not supported (expected a decision table, literal expression, context, list, relation, invocation or function definition)`,
        );
        return { kind: 'literal', id, text: '' };
    }
  }

  private decisionTable(element: ModdleElement, owner: string): CompiledDecisionTable {
    const id = element.id ?? '';
    const hitPolicyText = String(element.hitPolicy ?? 'UNIQUE');
    let hitPolicy = hitPolicyText as HitPolicy;
    if (!HIT_POLICIES.includes(hitPolicy)) {
      this.problem(
        id,
        `${owner}: unknown hit policy '${hitPolicyText}' (expected one of ${HIT_POLICIES.join(', ')})`,
      );
      hitPolicy = 'UNIQUE';
    }
    let aggregation: Aggregation | undefined;
    if (element.aggregation !== undefined) {
      const text = String(element.aggregation);
      if (!AGGREGATIONS.includes(text as Aggregation)) {
        this.problem(
          id,
          `${owner}: unknown aggregation '${text}' (expected one of ${AGGREGATIONS.join(', ')})`,
        );
      } else if (hitPolicy !== 'COLLECT') {
        this.problem(
          id,
          `${owner}: aggregation ${text} needs hit policy COLLECT, not ${hitPolicy}`,
        );
      } else {
        aggregation = text as Aggregation;
      }
    }
    const inputs = many(element, 'input').map((input, index) => {
      const inputExpression = one(input, 'inputExpression');
      const expression = inputExpression?.text ?? '';
      const inputId = input.id ?? `${id}-input-${index + 1}`;
      const name = input.label ?? (expression || inputId);
      if (expression.trim() === '') {
        this.problem(
          inputId,
          `${owner}: input '${name}' has no input expression (expected a FEEL expression such as a variable name)`,
        );
      } else {
        this.checkFeel(expression, 'expression', inputId, `${owner}: input '${name}'`);
      }
      const inputValues = one(input, 'inputValues')?.text;
      if (inputValues)
        this.checkFeel(
          inputValues,
          'unaryTests',
          inputId,
          `${owner}: input values of input '${name}'`,
        );
      return {
        id: inputId,
        name,
        expression,
        type: this.type(inputExpression?.typeRef, inputId),
        typeRef: inputExpression?.typeRef,
        inputValues: inputValues?.trim() ? inputValues : undefined,
      };
    });
    const outputElements = many(element, 'output');
    const outputs = outputElements.map((output, index) => {
      const outputId = output.id ?? `${id}-output-${index + 1}`;
      const name = output.name ?? (outputElements.length === 1 ? '' : outputId);
      if (outputElements.length > 1 && !output.name) {
        this.problem(
          outputId,
          `${owner}: output #${index + 1} has no name (expected a name on every output of a table with several outputs)`,
        );
      }
      const outputValues = one(output, 'outputValues')?.text;
      if (outputValues)
        this.checkFeel(
          outputValues,
          'unaryTests',
          outputId,
          `${owner}: output values of output '${name}'`,
        );
      const defaultOutput = one(output, 'defaultOutputEntry')?.text;
      if (defaultOutput)
        this.checkFeel(
          defaultOutput,
          'expression',
          outputId,
          `${owner}: default output of output '${name}'`,
        );
      return {
        id: outputId,
        name,
        type: this.type(output.typeRef, outputId),
        typeRef: output.typeRef,
        outputValues: outputValues?.trim() ? outputValues : undefined,
        defaultOutput: defaultOutput?.trim() ? defaultOutput : undefined,
      };
    });
    if (
      (hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') &&
      outputs.length > 0 &&
      outputs.every((output) => output.outputValues === undefined)
    ) {
      this.problem(
        id,
        `${owner}: hit policy ${hitPolicy} orders rules by their outputs' output values, but no output has an output values list (expected output values on at least one output)`,
      );
    }
    if (outputs.length === 0) {
      this.problem(
        id,
        `${owner}: the decision table has no output (expected at least one output column)`,
      );
    }
    if (aggregation && outputs.length > 1) {
      this.problem(
        id,
        `${owner}: aggregation ${aggregation} needs a single output, but the table has ${outputs.length}`,
      );
    }
    const rules = many(element, 'rule').map((rule, index) => {
      const ruleId = rule.id ?? `${id}-rule-${index + 1}`;
      const where = `${owner}: rule '${ruleId}' (#${index + 1})`;
      const inputEntries = many(rule, 'inputEntry').map((entry, column) => {
        const text = entry.text ?? '';
        const input = inputs[column];
        if (!isAnything(text)) {
          this.checkFeel(
            text,
            'unaryTests',
            entry.id ?? ruleId,
            `${where}, input '${input?.name ?? column + 1}'`,
          );
        }
        return isAnything(text) ? '' : text;
      });
      const outputEntries = many(rule, 'outputEntry').map((entry, column) => {
        const text = entry.text ?? '';
        if (text.trim() !== '') {
          this.checkFeel(
            text,
            'expression',
            entry.id ?? ruleId,
            `${where}, output '${outputs[column]?.name || column + 1}'`,
          );
        }
        return text;
      });
      if (inputEntries.length !== inputs.length) {
        this.problem(
          ruleId,
          `${where} has ${inputEntries.length} input entries (expected ${inputs.length}, one per input)`,
        );
      }
      if (outputEntries.length !== outputs.length) {
        this.problem(
          ruleId,
          `${where} has ${outputEntries.length} output entries (expected ${outputs.length}, one per output)`,
        );
      }
      return { id: ruleId, index: index + 1, inputEntries, outputEntries };
    });
    return { kind: 'decisionTable', id, hitPolicy, aggregation, inputs, outputs, rules };
  }

  private checkFeel(
    text: string,
    kind: 'expression' | 'unaryTests',
    elementId: string | undefined,
    where: string,
  ): void {
    const problem = feelSyntaxProblem(text, kind, this.parseContext);
    if (problem) {
      const expected =
        kind === 'unaryTests'
          ? 'FEEL unary tests such as `>= 18`, `"a","b"` or `[1..5]`'
          : 'a FEEL expression';
      this.problem(
        elementId,
        `${where}: '${text}' does not parse: ${problem} (expected ${expected})`,
      );
    }
  }

  private type(typeRef: string | undefined, elementId: string | undefined): DmnType {
    if (typeRef === undefined || typeRef.trim() === '') return { kind: 'any' };
    const resolved = this.resolveType(typeRef.trim());
    if (resolved) return resolved;
    this.problem(
      elementId,
      `unknown typeRef '${typeRef}' (expected a FEEL type such as number, string, boolean, date, or an item definition of this file)`,
    );
    return { kind: 'any' };
  }

  private resolveType(typeRef: string): DmnType | undefined {
    const base = BASE_TYPES[typeRef] ?? BASE_TYPES[typeRef.replace(/^\w+:/, '')];
    if (base === 'any') return { kind: 'any' };
    if (base) return { kind: 'base', name: base };
    const item =
      this.itemDefinitions.get(typeRef) ??
      this.itemDefinitions.get(typeRef.replace(/^\w+\./, '').replace(/^\w+:/, ''));
    if (!item) return undefined;
    if (this.resolving.has(typeRef)) return { kind: 'any' };
    this.resolving.add(typeRef);
    try {
      return this.itemType(item);
    } finally {
      this.resolving.delete(typeRef);
    }
  }

  private itemType(item: ModdleElement): DmnType {
    const allowedValues = one(item, 'allowedValues')?.text?.trim() || undefined;
    let type: DmnType;
    const components = many(item, 'itemComponent');
    if (components.length > 0) {
      type = {
        kind: 'structure',
        components: components.map((component) => ({
          name: component.name ?? '',
          type: this.itemType(component),
        })),
      };
    } else if (item.typeRef) {
      type = this.type(item.typeRef, item.id);
    } else {
      type = { kind: 'any' };
    }
    if (item.isCollection === true) return { kind: 'collection', item: type };
    if (allowedValues && type.kind === 'base') return { ...type, allowedValues };
    return type;
  }

  private checkRequirements(
    decisions: CompiledDecision[],
    knowledgeModels: CompiledKnowledgeModel[],
    decisionServices: CompiledDecisionService[],
    inputData: CompiledInputData[],
  ): void {
    const decisionIds = new Set(decisions.map((decision) => decision.id));
    const invocableIds = new Set(
      [...knowledgeModels, ...decisionServices].map((element) => element.id),
    );
    const inputIds = new Set(inputData.map((input) => input.id));
    for (const decision of decisions) {
      for (const required of decision.requiredDecisions) {
        if (!decisionIds.has(required)) {
          this.problem(
            decision.id,
            `decision '${decision.name}' requires decision '${required}', which does not exist (expected the id of a decision in this file)`,
          );
        }
      }
      for (const required of decision.requiredKnowledge) {
        if (!invocableIds.has(required)) {
          this.problem(
            decision.id,
            `decision '${decision.name}' requires business knowledge model '${required}', which does not exist (expected the id of a business knowledge model or decision service in this file)`,
          );
        }
      }
    }
    for (const service of decisionServices) {
      for (const required of [
        ...service.outputDecisions,
        ...service.encapsulatedDecisions,
        ...service.inputDecisions,
      ]) {
        if (!decisionIds.has(required)) {
          this.problem(
            service.id,
            `decision service '${service.name}' refers to decision '${required}', which does not exist`,
          );
        }
      }
      for (const required of service.inputData) {
        if (!inputIds.has(required)) {
          this.problem(
            service.id,
            `decision service '${service.name}' refers to input data '${required}', which does not exist`,
          );
        }
      }
    }
    for (const model of knowledgeModels) {
      for (const required of model.requiredKnowledge) {
        if (!invocableIds.has(required)) {
          this.problem(
            model.id,
            `business knowledge model '${model.name}' requires '${required}', which does not exist`,
          );
        }
      }
    }
    // a cycle would make evaluation recurse forever; report it once, with its path
    const edges = new Map<string, readonly string[]>();
    const names = new Map<string, string>();
    for (const decision of decisions) {
      edges.set(decision.id, [...decision.requiredDecisions, ...decision.requiredKnowledge]);
      names.set(decision.id, decision.name);
    }
    for (const model of knowledgeModels) {
      edges.set(model.id, model.requiredKnowledge);
      names.set(model.id, model.name);
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const path: string[] = [];
    const visit = (id: string): boolean => {
      if (state.get(id) === 'done') return false;
      if (state.get(id) === 'visiting') {
        const cycle = [...path.slice(path.indexOf(id)), id].map(
          (step) => `'${names.get(step) ?? step}'`,
        );
        this.problem(
          id,
          `the decision requirements graph has a cycle: ${cycle.join(' → ')} (expected required decisions and knowledge to form no loop)`,
        );
        return true;
      }
      state.set(id, 'visiting');
      path.push(id);
      for (const next of edges.get(id) ?? []) {
        if (edges.has(next) && visit(next)) return true;
      }
      path.pop();
      state.set(id, 'done');
      return false;
    };
    for (const id of edges.keys()) {
      path.length = 0;
      if (visit(id)) break;
    }
  }
}

function decisionType(logic: CompiledExpression | undefined): DecisionType {
  if (!logic) return 'none';
  const kinds: Record<CompiledExpression['kind'], DecisionType> = {
    literal: 'literalExpression',
    decisionTable: 'decisionTable',
    context: 'context',
    list: 'list',
    relation: 'relation',
    invocation: 'invocation',
    function: 'functionDefinition',
  };
  return kinds[logic.kind];
}

/** `-` and an empty cell match any input value. */
export function isAnything(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === '' || trimmed === '-';
}

/** The first syntax problem of a FEEL text, or undefined when it parses. */
export function feelSyntaxProblem(
  text: string,
  kind: 'expression' | 'unaryTests',
  names: Record<string, unknown> = {},
): string | undefined {
  try {
    const tree =
      kind === 'expression'
        ? parseExpression(text, names, undefined)
        : parseUnaryTests(text, names, undefined);
    let problem: string | undefined;
    tree.iterate({
      enter(node) {
        if (node.type.isError && problem === undefined) {
          problem =
            node.from >= text.length
              ? 'unexpected end of input'
              : `unexpected input at position ${node.from + 1}`;
        }
      },
    });
    return problem;
  } catch (error) {
    return (error as Error).message;
  }
}
