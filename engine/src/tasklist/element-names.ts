/**
 * Names of BPMN elements, for user tasks: an activated job carries its element id but not the
 * element's name, so the tasklist reads the name from the deployed process definition
 * (`engine_process_definition`), once per definition. When the definition is not there (the
 * tasklist works against a remote Zeebe cluster) the element id stands in for the name.
 *
 *   const names = new ElementNames(pool);
 *   await names.nameOf('2251799813685249', 'review'); // 'Review the claim'
 */
import type { Pool } from '../state/database.js';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X'))
      return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)));
    return ENTITIES[entity] ?? whole;
  });
}

/** id → name of every named element in a BPMN document (start tags with both attributes). */
export function elementNamesOf(bpmnXml: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const [tag] of bpmnXml.matchAll(/<[\w-]+:?[\w-]*\s[^>]*>/g)) {
    const id = /\sid="([^"]*)"/.exec(tag)?.[1];
    const name = /\sname="([^"]*)"/.exec(tag)?.[1];
    if (id && name && !names.has(id)) names.set(id, decodeXml(name).trim());
  }
  return names;
}

export class ElementNames {
  private readonly cache = new Map<string, Promise<Map<string, string>>>();

  constructor(private readonly pool: Pool) {}

  async nameOf(processDefinitionKey: string, elementId: string): Promise<string> {
    let names = this.cache.get(processDefinitionKey);
    if (!names) {
      names = this.pool
        .query<{ resource: string }>(
          'SELECT resource FROM engine_process_definition WHERE process_definition_key = $1',
          [processDefinitionKey],
        )
        .then(({ rows }) => (rows[0] ? elementNamesOf(rows[0].resource) : new Map()));
      this.cache.set(processDefinitionKey, names);
      // A failed read is not remembered: the next task asks again.
      names.catch(() => this.cache.delete(processDefinitionKey));
    }
    return (await names.catch(() => new Map<string, string>())).get(elementId) || elementId;
  }
}
