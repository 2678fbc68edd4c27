/** The form editor's shapes as the REST API (`/api/form-drafts`, `/api/forms`) sends them. */
export type Json = Record<string, unknown>;

export interface FormDraftSummary {
  readonly id: string;
  readonly formKey: string;
  readonly name: string;
  readonly revision: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface FormDraft extends FormDraftSummary {
  readonly jsonSchema: Json;
  readonly uiSchema: Json;
}

export interface DeployedFormKey {
  readonly formKey: string;
  readonly name: string;
  readonly latestVersion: number;
  readonly deployedAt: string;
  readonly deployedBy: string;
}

export interface FormVersion {
  readonly formKey: string;
  readonly version: number;
  readonly name: string;
  readonly deployedAt: string;
  readonly deployedBy: string;
  readonly jsonSchema: Json;
  readonly uiSchema: Json;
  /** true when the deploy changed nothing and this is the latest version as it was */
  readonly duplicate?: boolean;
}

export interface FormUsage extends DeployedFormKey {
  readonly versions: { version: number; deployedAt: string; deployedBy: string }[];
  readonly processes: {
    processDefinitionKey: string;
    bpmnProcessId: string;
    version: number;
    tenantId: string;
    deployedAt: string;
    userTasks: { elementId: string; name: string | null }[];
    formVersionAtDeployment: number | null;
  }[];
}
