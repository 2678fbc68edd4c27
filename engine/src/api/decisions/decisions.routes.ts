/**
 * The rule editor's REST API (role analyst; admin too):
 * - decision drafts, like process drafts: `GET /api/decision-drafts?limit=&offset=`,
 *   `POST /api/decision-drafts` `{ name, dmnXml }`, `GET|PUT|DELETE /api/decision-drafts/:id`
 *   (`PUT` with `basedOnRevision`, 409 when someone saved in between), `GET …/:id/dmn` the file
 * - `POST /api/decisions/evaluate` `{ dmnXml, decisionId, cases: [{ variables }] }` → one result
 *   per case with the rules that fired: the test bench, run on the XML being edited, nothing
 *   deployed and nothing recorded; 400 with `problems: [{ elementId, message }]` when the model
 *   does not compile
 * - `POST /api/decision-deployments` `{ draftId }` → 201 with the deployed decision versions
 *   (an unchanged model keeps its versions), or 400 with the problems
 * - `GET /api/decision-definitions?limit=&offset=` → deployed decisions with their versions;
 *   `GET /api/decision-definitions/:key` → one version with its DMN
 * - `DELETE /api/decision-requirements/:key` → 204: deletes the decision requirements graph (the
 *   `decisionRequirementsKey` of a listed version) with all its decisions; the version before
 *   each becomes the latest
 * - `GET /api/decisions/usage` → `{ items, dynamic }`: per deployed decision id its versions and
 *   the deployed process versions whose business rule tasks call it, with the decision version
 *   that was the latest when each was deployed; `dynamic` lists the process versions whose tasks
 *   name the decision by a FEEL expression, which only the run time resolves
 */
import { Router, type Response } from 'express';
import { compileDmn, evaluateDecision, type DmnProblem } from '../../dmn/index.js';
import type { Engine } from '../../runtime/engine.js';
import { currentUser, requireRole } from '../auth/auth.middleware.js';
import { validateBody } from '../body-validation.js';
import { DraftConflictError } from '../drafts/drafts.repository.js';
import { deleteResourceHandler, isEngineKey, sendEngineError } from '../engine-error.response.js';
import {
  bodySchema,
  errorResponses,
  jsonResponse,
  pageOfItems,
  pageParameters,
  pathKey,
  ref,
  type OpenApiContribution,
} from '../openapi.js';
import { pageOf } from '../pagination.js';
import type { DecisionDraftsRepository } from './decision-drafts.repository.js';
import type { DeployedDecisionsRepository } from './deployed-decisions.repository.js';

export function decisionsRoutes(options: {
  engine: Engine;
  drafts: DecisionDraftsRepository;
  deployed: DeployedDecisionsRepository;
}): Router {
  const { engine, drafts, deployed } = options;
  const router = Router();
  const analyst = requireRole('analyst');
  const notFound = (id: string) => ({
    error: 'not_found',
    message: `No decision draft with id '${id}'`,
  });
  const validId = (id: string) => /^[1-9]\d{0,17}$/.test(id);
  const draftOf = (id: string) => (validId(id) ? drafts.get(id) : Promise.resolve(undefined));

  router.get('/api/decision-drafts', analyst, async (req, res) => {
    const page = pageOf(req.query);
    if (!page.ok) {
      res.status(400).json({ error: 'bad_request', message: page.message });
      return;
    }
    res.json(await drafts.list(page.value));
  });

  router.post(
    '/api/decision-drafts',
    analyst,
    validateBody('decision-draft-create'),
    async (req, res) => {
      const draft = await drafts.create({ ...req.body, user: currentUser(res)!.username });
      res.status(201).location(`/api/decision-drafts/${draft.id}`).json(draft);
    },
  );

  router.get('/api/decision-drafts/:id', analyst, async (req, res) => {
    const draft = await draftOf(String(req.params.id));
    if (draft) res.json(draft);
    else res.status(404).json(notFound(String(req.params.id)));
  });

  router.get('/api/decision-drafts/:id/dmn', analyst, async (req, res) => {
    const draft = await draftOf(String(req.params.id));
    if (!draft) {
      res.status(404).json(notFound(String(req.params.id)));
      return;
    }
    const fileName = `${draft.name.replace(/[^\w.-]+/g, '-')}.dmn`;
    res.type('application/xml').attachment(fileName).send(draft.dmnXml);
  });

  router.put(
    '/api/decision-drafts/:id',
    analyst,
    validateBody('decision-draft-save'),
    async (req, res) => {
      try {
        const draft = validId(String(req.params.id))
          ? await drafts.save(String(req.params.id), {
              ...req.body,
              user: currentUser(res)!.username,
            })
          : undefined;
        if (draft) res.json(draft);
        else res.status(404).json(notFound(String(req.params.id)));
      } catch (error) {
        if (!(error instanceof DraftConflictError)) throw error;
        res.status(409).json({
          error: 'conflict',
          message: error.message,
          currentRevision: error.currentRevision,
        });
      }
    },
  );

  router.delete('/api/decision-drafts/:id', analyst, async (req, res) => {
    const id = String(req.params.id);
    if (validId(id) && (await drafts.delete(id))) res.status(204).end();
    else res.status(404).json(notFound(id));
  });

  router.post(
    '/api/decisions/evaluate',
    analyst,
    validateBody('decision-evaluation'),
    async (req, res) => {
      const { dmnXml, decisionId, cases } = req.body as {
        dmnXml: string;
        decisionId: string;
        cases: { variables: Record<string, unknown> }[];
      };
      const dmn = await compileDmn(dmnXml);
      if (dmn.problems.length > 0) {
        sendProblems(res, 'The decision model', dmn.problems);
        return;
      }
      if (!dmn.decisions.some((d) => d.id === decisionId)) {
        res.status(400).json({
          error: 'bad_request',
          message: `decisionId must name a decision of the model (${dmn.decisions.map((d) => `'${d.id}'`).join(', ') || 'it has none'}), but was '${decisionId}'`,
        });
        return;
      }
      res.json({
        results: cases.map(({ variables }) => {
          const evaluation = evaluateDecision(dmn, decisionId, variables);
          return evaluation.ok
            ? {
                ok: true,
                result: evaluation.result,
                evaluatedDecisions: evaluation.evaluatedDecisions,
              }
            : {
                ok: false,
                message: evaluation.message,
                evaluatedDecisions: evaluation.evaluatedDecisions,
              };
        }),
      });
    },
  );

  router.post(
    '/api/decision-deployments',
    analyst,
    validateBody('decision-deployment-create'),
    async (req, res) => {
      const draft = await drafts.get(req.body.draftId);
      if (!draft) {
        res.status(404).json(notFound(req.body.draftId));
        return;
      }
      // Compiled here first so that each problem keeps its element id for the editor.
      const dmn = await compileDmn(draft.dmnXml);
      if (dmn.problems.length > 0) {
        sendProblems(res, `The draft '${draft.name}'`, dmn.problems);
        return;
      }
      try {
        const deployment = await engine.deployResources([
          { name: `${dmn.id || 'decisions'}.dmn`, content: draft.dmnXml },
        ]);
        res.status(201).json({
          deploymentKey: deployment.key,
          decisions: (deployment.decisions ?? []).map((d) => ({
            decisionKey: d.decisionKey,
            decisionId: d.dmnDecisionId,
            name: d.dmnDecisionName,
            version: d.version,
            decisionRequirementsId: d.dmnDecisionRequirementsId,
            decisionRequirementsKey: d.decisionRequirementsKey,
          })),
        });
      } catch (error) {
        sendEngineError(res, error);
      }
    },
  );

  router.get('/api/decision-definitions', analyst, async (req, res) => {
    const page = pageOf(req.query);
    if (!page.ok) {
      res.status(400).json({ error: 'bad_request', message: page.message });
      return;
    }
    res.json(await deployed.list(page.value));
  });

  router.get('/api/decisions/usage', analyst, async (_req, res) => {
    res.json(await deployed.usage());
  });

  router.get('/api/decision-definitions/:key', analyst, async (req, res) => {
    const key = String(req.params.key);
    const found = isEngineKey(key) ? await deployed.get(key) : undefined;
    if (found) res.json(found);
    else
      res
        .status(404)
        .json({ error: 'not_found', message: `No deployed decision with key '${key}'` });
  });

  router.delete(
    '/api/decision-requirements/:key',
    analyst,
    deleteResourceHandler(engine, {
      what: 'decision requirements graph',
      find: (key) => deployed.requirements(key),
      action: 'DELETE_DECISION_REQUIREMENTS',
      details: (key, found) => ({
        decisionRequirementsKey: key,
        decisionRequirementsId: found?.decisionRequirementsId,
        version: found?.version,
        decisions: found?.decisionIds,
      }),
    }),
  );

  return router;
}

function sendProblems(res: Response, what: string, problems: readonly DmnProblem[]): void {
  res.status(400).json({
    error: 'invalid_dmn',
    message: `${what} cannot be evaluated: ${problems.length} problem(s): ${problems
      .map((p) => (p.elementId ? `${p.elementId}: ${p.message}` : p.message))
      .join('; ')}`,
    problems: problems.map((p) => ({ elementId: p.elementId ?? null, message: p.message })),
  });
}

const draftId = pathKey('id', 'Decision draft id');
const draftSummary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    revision: { type: 'integer' },
    updatedBy: { type: 'string' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const decisionsOpenApi: OpenApiContribution = {
  schemas: {
    DecisionDraft: {
      allOf: [draftSummary, { type: 'object', properties: { dmnXml: { type: 'string' } } }],
    },
    DeployedDecisionVersion: {
      type: 'object',
      properties: {
        decisionKey: { type: 'string' },
        decisionId: { type: 'string' },
        name: { type: 'string' },
        version: { type: 'integer' },
        decisionRequirementsId: { type: 'string' },
        decisionRequirementsKey: { type: 'string' },
        resourceName: { type: 'string' },
        deployedAt: { type: 'string', format: 'date-time' },
      },
    },
    DecisionUsage: {
      type: 'object',
      properties: {
        decisionId: { type: 'string' },
        name: { type: 'string' },
        latestVersion: { type: 'integer' },
        versions: {
          type: 'array',
          description: 'Newest first',
          items: {
            type: 'object',
            properties: {
              decisionKey: { type: 'string' },
              version: { type: 'integer' },
              tenantId: { type: 'string' },
              decisionRequirementsId: { type: 'string' },
              deployedAt: { type: 'string', format: 'date-time' },
            },
          },
        },
        processes: {
          type: 'array',
          description: 'The deployed process versions that call this decision id',
          items: {
            allOf: [
              ref('DecisionCallingProcess'),
              {
                type: 'object',
                properties: {
                  decisionVersionAtDeployment: {
                    type: ['integer', 'null'],
                    description:
                      'The latest decision version of the tenant when this process version was deployed',
                  },
                },
              },
            ],
          },
        },
      },
    },
    DecisionCallingProcess: {
      type: 'object',
      properties: {
        processDefinitionKey: { type: 'string' },
        bpmnProcessId: { type: 'string' },
        version: { type: 'integer' },
        tenantId: { type: 'string' },
        deployedAt: { type: 'string', format: 'date-time' },
        businessRuleTasks: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              elementId: { type: 'string' },
              name: { type: ['string', 'null'] },
              bindingType: { type: 'string', enum: ['latest', 'deployment', 'versionTag'] },
              versionTag: { type: ['string', 'null'] },
              decisionIdExpression: {
                type: 'string',
                description: 'Only for dynamic calls: the FEEL expression naming the decision',
              },
            },
          },
        },
      },
    },
    EvaluatedDecision: {
      type: 'object',
      description:
        'What one decision of the graph did: its inputs, the rules that fired, its result',
      properties: {
        decisionId: { type: 'string' },
        decisionName: { type: 'string' },
        decisionType: { type: 'string' },
        inputs: { type: 'array', items: { type: 'object' } },
        matchedRules: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              ruleId: { type: 'string' },
              ruleIndex: { type: 'integer' },
              outputs: { type: 'object' },
            },
          },
        },
        result: {},
      },
    },
  },
  paths: {
    '/api/decision-drafts': {
      get: {
        summary: 'Decision drafts, newest first, without their DMN',
        'x-roles': ['analyst'],
        parameters: pageParameters,
        responses: {
          200: jsonResponse('A page of drafts', pageOfItems(draftSummary)),
          ...errorResponses(400, 401, 403),
        },
      },
      post: {
        summary: 'Create a decision draft',
        'x-roles': ['analyst'],
        requestBody: bodySchema('decision-draft-create'),
        responses: {
          201: jsonResponse('The draft at revision 1', ref('DecisionDraft')),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    '/api/decision-drafts/{id}': {
      get: {
        summary: 'One decision draft with its DMN XML',
        'x-roles': ['analyst'],
        parameters: [draftId],
        responses: {
          200: jsonResponse('The draft', ref('DecisionDraft')),
          ...errorResponses(401, 403, 404),
        },
      },
      put: {
        summary: 'Save a new revision; refused when it is based on an outdated one',
        'x-roles': ['analyst'],
        parameters: [draftId],
        requestBody: bodySchema('decision-draft-save'),
        responses: {
          200: jsonResponse('The new revision', ref('DecisionDraft')),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
      delete: {
        summary: 'Delete a decision draft',
        'x-roles': ['analyst'],
        parameters: [draftId],
        responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
      },
    },
    '/api/decision-drafts/{id}/dmn': {
      get: {
        summary: 'The DMN file of a draft, as a download',
        'x-roles': ['analyst'],
        parameters: [draftId],
        responses: {
          200: { description: 'DMN XML', content: { 'application/xml': {} } },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/decisions/evaluate': {
      post: {
        summary:
          'Test bench: evaluate a decision of the given DMN for each case, with the rules that fired (nothing is deployed or recorded)',
        'x-roles': ['analyst'],
        requestBody: bodySchema('decision-evaluation'),
        responses: {
          200: jsonResponse('One result per case, in order', {
            type: 'object',
            properties: {
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['ok', 'evaluatedDecisions'],
                  properties: {
                    ok: { type: 'boolean' },
                    result: {},
                    message: { type: 'string', description: 'why the evaluation failed' },
                    evaluatedDecisions: { type: 'array', items: ref('EvaluatedDecision') },
                  },
                },
              },
            },
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    '/api/decision-deployments': {
      post: {
        summary: 'Deploy a decision draft; its decisions get new versions unless unchanged',
        'x-roles': ['analyst'],
        requestBody: bodySchema('decision-deployment-create'),
        responses: {
          201: jsonResponse('The deployed decisions', {
            type: 'object',
            properties: {
              deploymentKey: { type: 'string' },
              decisions: { type: 'array', items: ref('DeployedDecisionVersion') },
            },
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/api/decisions/usage': {
      get: {
        summary:
          'Which deployed process versions call which decisions, and which decision version was the latest when each was deployed',
        'x-roles': ['analyst'],
        responses: {
          200: jsonResponse('Decision usage', {
            type: 'object',
            properties: {
              items: { type: 'array', items: ref('DecisionUsage') },
              dynamic: {
                type: 'array',
                description:
                  'Process versions whose business rule tasks name the decision by a FEEL expression',
                items: ref('DecisionCallingProcess'),
              },
            },
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    '/api/decision-definitions': {
      get: {
        summary: 'Deployed decisions with all their versions, newest version first',
        'x-roles': ['analyst'],
        parameters: pageParameters,
        responses: {
          200: jsonResponse(
            'A page of decisions',
            pageOfItems({
              type: 'object',
              properties: {
                decisionId: { type: 'string' },
                name: { type: 'string' },
                latestVersion: { type: 'integer' },
                versions: { type: 'array', items: ref('DeployedDecisionVersion') },
              },
            }),
          ),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    '/api/decision-definitions/{key}': {
      get: {
        summary: 'One deployed decision version with the DMN it was deployed in',
        'x-roles': ['analyst'],
        parameters: [pathKey('key', 'Decision key')],
        responses: {
          200: jsonResponse('The version', {
            allOf: [
              ref('DeployedDecisionVersion'),
              { type: 'object', properties: { dmnXml: { type: 'string' } } },
            ],
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/decision-requirements/{key}': {
      delete: {
        summary:
          'Delete a deployed decision requirements graph with its decisions (Zeebe DeleteResource)',
        description:
          'The key is the `decisionRequirementsKey` of a listed decision version. For each decision of the graph, the version before it becomes the latest.',
        'x-roles': ['analyst'],
        parameters: [pathKey('key', 'Decision requirements key')],
        responses: {
          204: { description: 'Deleted' },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
  },
};
