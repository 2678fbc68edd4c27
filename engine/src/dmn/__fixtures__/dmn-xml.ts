/**
 * Builders for small DMN files in Camunda Modeler's shape, for tests: a decision table or a
 * literal expression decision in a few lines instead of a page of XML.
 *
 *   const xml = dmnXml(decisionTable({ id: 'dish', hitPolicy: 'FIRST', inputs: [...], ... }));
 */

export interface InputSpec {
  readonly id?: string;
  readonly label?: string;
  readonly expression: string;
  readonly typeRef?: string;
  readonly inputValues?: string;
}

export interface OutputSpec {
  readonly id?: string;
  readonly name?: string;
  readonly typeRef?: string;
  readonly outputValues?: string;
  readonly defaultOutput?: string;
}

export interface TableSpec {
  readonly id: string;
  readonly name?: string;
  readonly hitPolicy?: string;
  readonly aggregation?: string;
  readonly inputs: readonly InputSpec[];
  readonly outputs: readonly OutputSpec[];
  /** one row per rule: input entries, then output entries */
  readonly rules: readonly (readonly string[])[];
  readonly requires?: readonly string[];
  readonly knowledge?: readonly string[];
  /** written as `<zeebe:versionTag value="…"/>` */
  readonly versionTag?: string;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function extensions(versionTag: string | undefined): string {
  return versionTag === undefined
    ? ''
    : `<extensionElements><zeebe:versionTag value="${escape(versionTag)}" /></extensionElements>`;
}

function requirements(requires: readonly string[] = [], knowledge: readonly string[] = []): string {
  return [
    ...requires.map(
      (id) => `<informationRequirement><requiredDecision href="#${id}" /></informationRequirement>`,
    ),
    ...knowledge.map(
      (id) => `<knowledgeRequirement><requiredKnowledge href="#${id}" /></knowledgeRequirement>`,
    ),
  ].join('\n');
}

export function decisionTable(spec: TableSpec): string {
  const hitPolicy = spec.hitPolicy ? ` hitPolicy="${spec.hitPolicy}"` : '';
  const aggregation = spec.aggregation ? ` aggregation="${spec.aggregation}"` : '';
  const inputs = spec.inputs
    .map((input, index) => {
      const label = input.label ? ` label="${escape(input.label)}"` : '';
      const typeRef = input.typeRef ? ` typeRef="${input.typeRef}"` : '';
      const values = input.inputValues
        ? `<inputValues><text>${escape(input.inputValues)}</text></inputValues>`
        : '';
      return `<input id="${input.id ?? `${spec.id}_input${index + 1}`}"${label}>
        <inputExpression id="${spec.id}_inputExpression${index + 1}"${typeRef}><text>${escape(input.expression)}</text></inputExpression>${values}
      </input>`;
    })
    .join('\n');
  const outputs = spec.outputs
    .map((output, index) => {
      const name = output.name ? ` name="${escape(output.name)}"` : '';
      const typeRef = output.typeRef ? ` typeRef="${output.typeRef}"` : '';
      const values = output.outputValues
        ? `<outputValues><text>${escape(output.outputValues)}</text></outputValues>`
        : '';
      const defaultOutput = output.defaultOutput
        ? `<defaultOutputEntry><text>${escape(output.defaultOutput)}</text></defaultOutputEntry>`
        : '';
      return `<output id="${output.id ?? `${spec.id}_output${index + 1}`}"${name}${typeRef}>${values}${defaultOutput}</output>`;
    })
    .join('\n');
  const rules = spec.rules
    .map((row, index) => {
      const cells = row.map((text, column) =>
        column < spec.inputs.length
          ? `<inputEntry id="${spec.id}_r${index + 1}_in${column + 1}"><text>${escape(text)}</text></inputEntry>`
          : `<outputEntry id="${spec.id}_r${index + 1}_out${column + 1}"><text>${escape(text)}</text></outputEntry>`,
      );
      return `<rule id="r${index + 1}">${cells.join('')}</rule>`;
    })
    .join('\n');
  return `<decision id="${spec.id}" name="${escape(spec.name ?? spec.id)}">
    ${extensions(spec.versionTag)}
    ${requirements(spec.requires, spec.knowledge)}
    <decisionTable id="${spec.id}_table"${hitPolicy}${aggregation}>
      ${inputs}
      ${outputs}
      ${rules}
    </decisionTable>
  </decision>`;
}

export function literalDecision(spec: {
  readonly id: string;
  readonly name?: string;
  readonly text: string;
  readonly typeRef?: string;
  readonly requires?: readonly string[];
  readonly knowledge?: readonly string[];
  readonly versionTag?: string;
}): string {
  const typeRef = spec.typeRef ? ` typeRef="${spec.typeRef}"` : '';
  return `<decision id="${spec.id}" name="${escape(spec.name ?? spec.id)}">
    ${extensions(spec.versionTag)}
    <variable id="${spec.id}_variable" name="${escape(spec.name ?? spec.id)}"${typeRef} />
    ${requirements(spec.requires, spec.knowledge)}
    <literalExpression id="${spec.id}_expression"><text>${escape(spec.text)}</text></literalExpression>
  </decision>`;
}

/** A business knowledge model whose logic is one literal expression over its parameters. */
export function knowledgeModel(spec: {
  readonly id: string;
  readonly name: string;
  readonly parameters: readonly string[];
  readonly body: string;
}): string {
  const parameters = spec.parameters
    .map((name) => `<formalParameter id="${spec.id}_${name}" name="${escape(name)}" />`)
    .join('');
  return `<businessKnowledgeModel id="${spec.id}" name="${escape(spec.name)}">
    <encapsulatedLogic id="${spec.id}_logic">${parameters}
      <literalExpression id="${spec.id}_body"><text>${escape(spec.body)}</text></literalExpression>
    </encapsulatedLogic>
  </businessKnowledgeModel>`;
}

export const DMN13_NAMESPACE = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
export const ZEEBE_NAMESPACE = 'http://camunda.org/schema/zeebe/1.0';

export function dmnXml(...elements: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="${DMN13_NAMESPACE}" xmlns:zeebe="${ZEEBE_NAMESPACE}" id="definitions" name="Test decisions" namespace="http://camunda.org/schema/1.0/dmn">
  ${elements.join('\n')}
</definitions>`;
}
