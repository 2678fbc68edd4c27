/**
 * Which deployed process versions use which forms. A user task names its form in
 * `<zeebe:formDefinition>` by `formKey`, `formId` or `externalReference` (the engine takes the
 * first of them that is set, and so does this scan); a user task shows the latest deployed
 * version of that form when a caseworker opens it. For each process version this tells also
 * which form version was the latest when the process version was deployed.
 *
 *   const usage = await new FormUsageRepository(pool).usage(); // one entry per deployed form key
 */
import type { Pool } from '../../state/database.js';
import type { DeployedFormKey } from './form-versions.repository.js';

export interface FormUsingTask {
  readonly elementId: string;
  readonly name: string | null;
}

export interface FormUsingProcess {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly tenantId: string;
  readonly deployedAt: string;
  readonly userTasks: FormUsingTask[];
  /** The latest form version when this process version was deployed; null if none existed. */
  readonly formVersionAtDeployment: number | null;
}

export interface FormUsage extends DeployedFormKey {
  readonly versions: { version: number; deployedAt: string; deployedBy: string }[];
  readonly processes: FormUsingProcess[];
}

/** The user tasks of a BPMN file and the form each names (static keys only, not FEEL). */
export function userTaskForms(bpmnXml: string): (FormUsingTask & { formKey: string })[] {
  const found: (FormUsingTask & { formKey: string })[] = [];
  const task = /<([\w.-]+:)?userTask\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1?userTask\s*>)/g;
  for (const match of bpmnXml.matchAll(task)) {
    const [, , attributes, body = ''] = match;
    const definition = /<(?:[\w.-]+:)?formDefinition\b([^>]*)>/.exec(body);
    if (!definition) continue;
    const formKey = ['formKey', 'formId', 'externalReference']
      .map((name) => attribute(definition[1], name))
      .find((value) => value !== undefined && value !== '');
    const elementId = attribute(attributes, 'id');
    if (!formKey || formKey.startsWith('=') || !elementId) continue;
    found.push({ elementId, name: attribute(attributes, 'name') ?? null, formKey });
  }
  return found;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(attributes);
  if (!match) return undefined;
  return (match[2] ?? match[3])
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export class FormUsageRepository {
  constructor(private readonly pool: Pool) {}

  async usage(): Promise<FormUsage[]> {
    const [versions, definitions] = await Promise.all([
      this.pool.query<{
        form_key: string;
        version: number;
        name: string;
        deployed_at: Date;
        deployed_by: string;
      }>(
        `SELECT form_key, version, name, deployed_at, deployed_by FROM form_version
          ORDER BY form_key, version DESC`,
      ),
      // Only definitions that can name a form at all are read in full.
      this.pool.query<{
        process_definition_key: string;
        bpmn_process_id: string;
        version: number;
        tenant_id: string;
        deployed_at: Date;
        resource: string;
      }>(
        `SELECT process_definition_key, bpmn_process_id, version, tenant_id, deployed_at, resource
           FROM engine_process_definition
          WHERE resource LIKE '%formDefinition%'
          ORDER BY bpmn_process_id, version DESC, tenant_id`,
      ),
    ]);
    const byKey = new Map<string, FormUsage>();
    for (const row of versions.rows) {
      let entry = byKey.get(row.form_key);
      if (!entry) {
        entry = {
          formKey: row.form_key,
          name: row.name,
          latestVersion: row.version,
          deployedAt: row.deployed_at.toISOString(),
          deployedBy: row.deployed_by,
          versions: [],
          processes: [],
        };
        byKey.set(row.form_key, entry);
      }
      entry.versions.push({
        version: row.version,
        deployedAt: row.deployed_at.toISOString(),
        deployedBy: row.deployed_by,
      });
    }
    for (const definition of definitions.rows) {
      const tasksByForm = new Map<string, FormUsingTask[]>();
      for (const { formKey, ...task } of userTaskForms(definition.resource)) {
        if (!byKey.has(formKey)) continue;
        tasksByForm.set(formKey, [...(tasksByForm.get(formKey) ?? []), task]);
      }
      for (const [formKey, userTasks] of tasksByForm) {
        const entry = byKey.get(formKey)!;
        // versions are newest first: the first one deployed before the process version
        const atDeployment = entry.versions.find(
          (v) => Date.parse(v.deployedAt) <= definition.deployed_at.getTime(),
        );
        entry.processes.push({
          processDefinitionKey: definition.process_definition_key,
          bpmnProcessId: definition.bpmn_process_id,
          version: definition.version,
          tenantId: definition.tenant_id,
          deployedAt: definition.deployed_at.toISOString(),
          userTasks,
          formVersionAtDeployment: atDeployment?.version ?? null,
        });
      }
    }
    return [...byKey.values()];
  }
}
