/** The tasklist's shapes as the REST API (`/api/tasks`) sends them. */
export interface TaskSummary {
  readonly key: string;
  readonly name: string;
  readonly elementId: string;
  readonly bpmnProcessId: string;
  readonly processVersion: number;
  readonly processInstanceKey: string;
  readonly formKey: string | null;
  readonly assignee: string | null;
  readonly candidateGroups: string[];
  readonly candidateUsers: string[];
  readonly dueDate: string | null;
  readonly followUpDate: string | null;
  readonly state: 'open' | 'completed' | 'canceled';
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly completedBy: string | null;
}

export interface Task extends TaskSummary {
  readonly variables: Record<string, unknown>;
  readonly completionVariables: Record<string, unknown> | null;
}

export interface TaskWithForm {
  readonly task: Task;
  readonly form:
    | { schema: Record<string, unknown>; uiSchema?: Record<string, unknown> | null }
    | { error: string }
    | null;
}

export interface ProcessContext {
  readonly bpmnXml: string;
  readonly elementId: string;
  readonly bpmnProcessId: string;
  readonly version: number;
}

export const FILTERS = [
  ['assigned-to-me', 'Assigned to me'],
  ['my-groups', 'My groups'],
  ['unassigned', 'Unassigned'],
  ['due-soon', 'Due soon'],
  ['overdue', 'Overdue'],
  ['completed', 'Completed'],
] as const;
