/**
 * Deploys a saved draft through `POST /api/deployments`. A draft the engine cannot run is not an
 * exception here but a value: the problems, each naming its element, for the modeler to show
 * on the diagram.
 */
export interface DeployProblem {
  readonly elementId: string | null;
  readonly message: string;
}

export interface DeployedVersion {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
}

export type DeployOutcome =
  | { ok: true; processes: DeployedVersion[] }
  | { ok: false; message: string; problems: DeployProblem[] };

export async function deployDraft(draftId: string): Promise<DeployOutcome> {
  const res = await fetch('/api/deployments', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ draftId }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    message?: string;
    problems?: DeployProblem[];
    processes?: DeployedVersion[];
  };
  if (res.ok) return { ok: true, processes: body.processes ?? [] };
  return {
    ok: false,
    message: body.message ?? `Deploying failed (${res.status})`,
    problems: res.status === 400 && body.problems?.[0]?.message ? body.problems : [],
  };
}
