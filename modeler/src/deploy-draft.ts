/**
 * Deploys a saved draft (a process through `POST /api/deployments`, a decision model through
 * `POST /api/decision-deployments`). A model the engine cannot run is a value here, not an
 * exception: its problems, each naming its element (or none, for the whole model), for the
 * editor to show where they are. A failed deployment always has at least one problem.
 *
 *   const outcome = await deployDraft('/api/deployments', draftId, (body) => body.processes);
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

export interface DeployedDecisionVersion {
  readonly decisionKey: string;
  readonly decisionId: string;
  readonly version: number;
}

interface DeploymentBody {
  readonly message?: string;
  readonly problems?: DeployProblem[];
  readonly processes?: DeployedVersion[];
  readonly decisions?: DeployedDecisionVersion[];
}

export type DeployOutcome<T> =
  { ok: true; deployed: T[] } | { ok: false; message: string; problems: DeployProblem[] };

export async function deployDraft<T>(
  path: '/api/deployments' | '/api/decision-deployments',
  draftId: string,
  deployed: (body: DeploymentBody) => T[] | undefined,
): Promise<DeployOutcome<T>> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ draftId }),
  });
  const body = (await res.json().catch(() => ({}))) as DeploymentBody;
  if (res.ok) return { ok: true, deployed: deployed(body) ?? [] };
  const message = body.message ?? `Deploying failed (${res.status})`;
  const problems = body.problems?.filter((p) => p?.message) ?? [];
  return {
    ok: false,
    message,
    problems: problems.length ? problems : [{ elementId: null, message }],
  };
}
