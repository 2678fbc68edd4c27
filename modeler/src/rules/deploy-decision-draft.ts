/**
 * Deploys a saved decision draft through `POST /api/decision-deployments`. A model the engine
 * cannot run is a value here, not an exception: the problems, each naming its element.
 */
export interface DecisionProblem {
  readonly elementId: string | null;
  readonly message: string;
}

export interface DeployedDecisionVersion {
  readonly decisionKey: string;
  readonly decisionId: string;
  readonly version: number;
}

export type DecisionDeployOutcome =
  | { ok: true; decisions: DeployedDecisionVersion[] }
  | { ok: false; message: string; problems: DecisionProblem[] };

export async function deployDecisionDraft(draftId: string): Promise<DecisionDeployOutcome> {
  const res = await fetch('/api/decision-deployments', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ draftId }),
  });
  const body = (await res.json().catch(() => ({}))) as {
    message?: string;
    problems?: DecisionProblem[];
    decisions?: DeployedDecisionVersion[];
  };
  if (res.ok) return { ok: true, decisions: body.decisions ?? [] };
  const message = body.message ?? `Deploying failed (${res.status})`;
  return {
    ok: false,
    message,
    problems: body.problems?.length ? body.problems : [{ elementId: null, message }],
  };
}
