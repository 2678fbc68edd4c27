/**
 * Reads the DMN TCK's test-case files (`*-test-*.xml`, namespace
 * `http://www.omg.org/spec/DMN/20160719/testcase`) into plain data with FEEL values: decimals as
 * numbers, `xsd:date` as feelin dates, components as contexts, items as lists. Used by the
 * conformance test; usable by any runner that feeds the TCK to a decision API.
 *
 *   const file = readTckFile(readFileSync('0004-simpletable-U-test-01.xml', 'utf8'));
 *   for (const testCase of file.testCases) run(file.modelName, testCase);
 */
import { date, dateAndTime, duration, time } from 'feelin';

export interface TckResultNode {
  readonly name: string;
  /** true when the specification defines the result as an error (its expected value is null) */
  readonly errorResult: boolean;
  readonly expected: unknown;
}

export interface TckTestCase {
  readonly id: string;
  readonly type: 'decision' | 'bkm' | 'decisionService';
  readonly invocableName?: string;
  readonly description?: string;
  readonly inputs: Record<string, unknown>;
  readonly results: readonly TckResultNode[];
}

export interface TckFile {
  readonly modelName: string;
  readonly labels: readonly string[];
  readonly testCases: readonly TckTestCase[];
}

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

/** Local name of an element or attribute (the TCK binds the namespace with or without prefix). */
function local(name: string): string {
  const colon = name.indexOf(':');
  return colon >= 0 ? name.slice(colon + 1) : name;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[entity] ?? '';
  });
}

/** A small XML reader for the test-case files: elements, attributes, text, CDATA, comments. */
function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const token =
    /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<!DOCTYPE[^>]*>|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  for (let match = token.exec(xml); match; match = token.exec(xml)) {
    const [, cdata, closing, opening, attributeText, selfClosing, text] = match;
    const current = stack[stack.length - 1];
    if (cdata !== undefined) current.text += cdata;
    else if (text !== undefined) current.text += decodeEntities(text);
    else if (closing !== undefined) stack.pop();
    else if (opening !== undefined) {
      const attributes: Record<string, string> = {};
      const attribute = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
      for (
        let a = attribute.exec(attributeText ?? '');
        a;
        a = attribute.exec(attributeText ?? '')
      ) {
        attributes[a[1]] = decodeEntities(a[2] ?? a[3] ?? '');
      }
      const element: XmlElement = { name: local(opening), attributes, children: [], text: '' };
      current.children.push(element);
      if (selfClosing !== '/') stack.push(element);
    }
  }
  return root;
}

function attribute(element: XmlElement, name: string): string | undefined {
  for (const [key, value] of Object.entries(element.attributes)) {
    if (local(key) === name && !key.startsWith('xmlns')) return value;
  }
  return undefined;
}

function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** A `<value>`, `<component>`s or `<list>` as a FEEL value. */
function readValue(holder: XmlElement): unknown {
  const list = children(holder, 'list')[0];
  if (list) return children(list, 'item').map(readValue);
  const components = children(holder, 'component');
  if (components.length > 0) {
    return Object.fromEntries(
      components.map((component) => [attribute(component, 'name') ?? '', readValue(component)]),
    );
  }
  const value = children(holder, 'value')[0];
  if (!value || attribute(value, 'nil') === 'true') return null;
  // a <value> may itself hold components or a list
  if (value.children.length > 0) return readValue(value);
  return typedValue(value.text, local(attribute(value, 'type') ?? 'string'));
}

function typedValue(text: string, type: string): unknown {
  try {
    return typedValueOrThrow(text, type);
  } catch {
    // feelin cannot represent some values (dates before year 1); the case then fails as it should
    return text;
  }
}

function typedValueOrThrow(text: string, type: string): unknown {
  switch (type) {
    case 'decimal':
    case 'double':
    case 'integer':
    case 'int':
    case 'long':
    case 'float':
      return text.trim() === 'NaN' ? Number.NaN : Number(text.trim());
    case 'boolean':
      return text.trim() === 'true';
    case 'date':
      return date(text.trim()) ?? text;
    case 'time':
      return time(text.trim()) ?? text;
    case 'dateTime':
      return dateAndTime(text.trim()) ?? text;
    case 'duration':
    case 'dayTimeDuration':
    case 'yearMonthDuration':
      return duration(text.trim()) ?? text;
    default:
      return text;
  }
}

export function readTckFile(xml: string): TckFile {
  const document = parseXml(xml);
  const root = children(document, 'testCases')[0];
  if (!root) throw new Error('not a TCK test-case file (expected a <testCases> root element)');
  const labels = children(root, 'labels').flatMap((labelList) =>
    children(labelList, 'label').map((label) => label.text.trim()),
  );
  return {
    modelName: children(root, 'modelName')[0]?.text.trim() ?? '',
    labels,
    testCases: children(root, 'testCase').map((testCase) => ({
      id: attribute(testCase, 'id') ?? '',
      type: (attribute(testCase, 'type') ?? 'decision') as TckTestCase['type'],
      invocableName: attribute(testCase, 'invocableName'),
      description: children(testCase, 'description')[0]?.text.trim(),
      inputs: Object.fromEntries(
        children(testCase, 'inputNode').map((input) => [
          attribute(input, 'name') ?? '',
          readValue(input),
        ]),
      ),
      results: children(testCase, 'resultNode').map((result) => ({
        name: attribute(result, 'name') ?? '',
        errorResult: attribute(result, 'errorResult') === 'true',
        expected: readValue(
          children(result, 'expected')[0] ?? {
            name: 'expected',
            attributes: {},
            children: [],
            text: '',
          },
        ),
      })),
    })),
  };
}
