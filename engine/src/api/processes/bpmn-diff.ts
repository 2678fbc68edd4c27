/**
 * What changed between two versions of a BPMN process: elements added, removed, and changed,
 * compared by element id. An element counts as changed when one of its own attributes, its
 * references (a flow's source or target, a default flow, an attached-to task) or its extension
 * elements (Zeebe task definition, io mappings, headers, form, assignment, …) differ. The
 * diagram layout (BPMNDI) does not count: moving a shape changes nothing that runs.
 *
 *   const diff = await diffBpmn(version1Xml, version2Xml);
 *   // { added: ['review'], removed: [], changed: [{ elementId: 'charge', properties: ['extensionElements'] }] }
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };

export interface BpmnDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: { elementId: string; properties: string[] }[];
}

interface ModdleObject {
  $type: string;
  id?: string;
  $attrs?: Record<string, unknown>;
  $descriptor: {
    properties: { name: string; isReference?: boolean; isMany?: boolean }[];
  };
  [property: string]: unknown;
}

/** Containment that is compared element by element, not as a property of the container. */
const CHILD_LISTS = new Set(['flowElements', 'artifacts', 'laneSets', 'lanes']);
/** Derived from the sequence flows, which are compared themselves. */
const DERIVED = new Set(['incoming', 'outgoing', 'flowNodeRef', 'di']);

export class UnreadableBpmnError extends Error {
  constructor(
    readonly which: 'from' | 'to',
    cause: unknown,
  ) {
    super(`The ${which} version is not a readable BPMN file: ${(cause as Error).message}`, {
      cause,
    });
    this.name = 'UnreadableBpmnError';
  }
}

export async function diffBpmn(fromXml: string, toXml: string): Promise<BpmnDiff> {
  const [from, to] = await Promise.all([
    elementsOf(fromXml).catch((e: unknown) => Promise.reject(new UnreadableBpmnError('from', e))),
    elementsOf(toXml).catch((e: unknown) => Promise.reject(new UnreadableBpmnError('to', e))),
  ]);
  const added = [...to.keys()].filter((id) => !from.has(id));
  const removed = [...from.keys()].filter((id) => !to.has(id));
  const changed: BpmnDiff['changed'] = [];
  for (const [id, after] of to) {
    const before = from.get(id);
    if (!before) continue;
    const properties = [...new Set([...Object.keys(before), ...Object.keys(after)])]
      .filter((name) => before[name] !== after[name])
      .sort();
    if (properties.length > 0) changed.push({ elementId: id, properties });
  }
  return { added, removed, changed };
}

/** Every element with an id inside the processes, each as property name → canonical text. */
async function elementsOf(xml: string): Promise<Map<string, Record<string, string>>> {
  const moddle = new BpmnModdle({ zeebe: zeebeDescriptor });
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  const elements = new Map<string, Record<string, string>>();
  const visit = (element: ModdleObject) => {
    if (element.id) elements.set(element.id, ownProperties(element));
    for (const list of CHILD_LISTS) {
      for (const child of (element[list] as ModdleObject[] | undefined) ?? []) visit(child);
    }
  };
  const roots = ((rootElement as ModdleObject).rootElements as ModdleObject[] | undefined) ?? [];
  for (const root of roots) if (root.$type === 'bpmn:Process') visit(root);
  return elements;
}

function ownProperties(element: ModdleObject): Record<string, string> {
  const properties: Record<string, string> = { $type: element.$type };
  for (const descriptor of element.$descriptor.properties) {
    const name = descriptor.name.replace(/^\w+:/, '');
    if (CHILD_LISTS.has(name) || DERIVED.has(name) || name === 'id') continue;
    const value = element[descriptor.name] ?? element[name];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    properties[name] = JSON.stringify(
      descriptor.isReference ? referenceIds(value) : canonical(value),
    );
  }
  for (const [name, value] of Object.entries(element.$attrs ?? {})) {
    if (!name.startsWith('xmlns')) properties[name] = JSON.stringify(value);
  }
  return properties;
}

function referenceIds(value: unknown): unknown {
  return Array.isArray(value)
    ? value.map((v) => (v as ModdleObject).id)
    : (value as ModdleObject | undefined)?.id;
}

/** A moddle value as plain JSON with stable key order; references become ids. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const object = value as ModdleObject;
  if (!object.$descriptor) return value;
  const result: Record<string, unknown> = { $type: object.$type };
  for (const descriptor of object.$descriptor.properties) {
    const item = object[descriptor.name];
    if (item === undefined || descriptor.name === 'di') continue;
    result[descriptor.name] = descriptor.isReference ? referenceIds(item) : canonical(item);
  }
  for (const [name, item] of Object.entries(object.$attrs ?? {})) result[`@${name}`] = item;
  return result;
}
