/**
 * Deployed processes for analysts (role analyst; admin too):
 * - `GET /api/process-definitions?limit=&offset=` → `{ items: [{ bpmnProcessId, latestVersion,
 *   versions }], total }`, paged over processes
 * - `GET /api/process-definitions/:key` → one version with its XML; `…/:key/bpmn` → the file
 * - `GET /api/process-definitions/:key/diff?against=<key>` → elements added, removed, changed
 *   from version `against` to version `key`
 * - `DELETE /api/process-definitions/:key` → 204; 409 with the engine's message while instances of
 *   the version run; deleting the latest version makes the one before it the latest
 * - `POST /api/deployments` `{ draftId }` → 201 with the deployed versions, or 400 with
 *   `problems: [{ elementId, message }]` that the modeler shows on the elements
 * - `POST /api/process-instances` `{ bpmnProcessId, version?, variables? }` → 201 with the key
 *
 * Deploying and starting go through the engine; everything read comes from its tables.
 */
import { Router } from 'express';
import { compileBpmn } from '../../bpmn/compile-bpmn.js';
import type { Engine } from '../../runtime/engine.js';
import { currentUser, requireRole } from '../auth/auth.middleware.js';
import { validateBody } from '../body-validation.js';
import type { DraftsRepository } from '../drafts/drafts.repository.js';
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
import { diffBpmn, UnreadableBpmnError } from './bpmn-diff.js';
import type { ProcessDefinitionsRepository } from './process-definitions.repository.js';

export function processesRoutes(options: {
  engine: Engine;
  definitions: ProcessDefinitionsRepository;
  drafts: DraftsRepository;
}): Router {
  const { engine, definitions, drafts } = options;
  const router = Router();
  const analyst = requireRole('analyst');
  const notFound = (key: string) => ({
    error: 'not_found',
    message: `No process definition with key '${key}'`,
  });
  const definition = (key: string) =>
    isEngineKey(key) ? definitions.get(key) : Promise.resolve(undefined);

  router.get('/api/process-definitions', analyst, async (req, res) => {
    const page = pageOf(req.query);
    if (!page.ok) {
      res.status(400).json({ error: 'bad_request', message: page.message });
      return;
    }
    res.json(await definitions.list(page.value));
  });

  router.get('/api/process-definitions/:key', analyst, async (req, res) => {
    const found = await definition(String(req.params.key));
    if (found) res.json(found);
    else res.status(404).json(notFound(String(req.params.key)));
  });

  router.get('/api/process-definitions/:key/bpmn', analyst, async (req, res) => {
    const found = await definition(String(req.params.key));
    if (!found) {
      res.status(404).json(notFound(String(req.params.key)));
      return;
    }
    res
      .type('application/xml')
      .attachment(`${found.bpmnProcessId}-v${found.version}.bpmn`)
      .send(found.bpmnXml);
  });

  router.get('/api/process-definitions/:key/diff', analyst, async (req, res) => {
    const against = typeof req.query.against === 'string' ? req.query.against : '';
    if (!isEngineKey(against)) {
      res.status(400).json({
        error: 'bad_request',
        message: `Query parameter 'against' must be the key of the process definition to compare with, but was '${against}'`,
      });
      return;
    }
    const [to, from] = await Promise.all([definition(String(req.params.key)), definition(against)]);
    if (!to || !from) {
      res.status(404).json(notFound(to ? against : String(req.params.key)));
      return;
    }
    try {
      const diff = await diffBpmn(from.bpmnXml, to.bpmnXml);
      const { bpmnXml: _toXml, ...toVersion } = to;
      const { bpmnXml: _fromXml, ...fromVersion } = from;
      res.json({ from: fromVersion, to: toVersion, ...diff });
    } catch (error) {
      if (!(error instanceof UnreadableBpmnError)) throw error;
      res.status(422).json({ error: 'unreadable_bpmn', message: error.message });
    }
  });

  router.delete(
    '/api/process-definitions/:key',
    analyst,
    deleteResourceHandler(engine, {
      what: 'process definition',
      find: (key) => definitions.get(key),
      action: 'DELETE_PROCESS_DEFINITION',
      details: (key, found) => ({
        processDefinitionKey: key,
        bpmnProcessId: found?.bpmnProcessId,
        version: found?.version,
      }),
    }),
  );

  router.post('/api/deployments', analyst, validateBody('deployment-create'), async (req, res) => {
    const draft = await drafts.get(req.body.draftId);
    if (!draft) {
      res
        .status(404)
        .json({ error: 'not_found', message: `No draft with id '${req.body.draftId}'` });
      return;
    }
    // Compiled here first so that each problem keeps its element id for the modeler.
    const { processes, problems } = await compileBpmn(draft.bpmnXml);
    if (problems.length > 0) {
      res.status(400).json({
        error: 'invalid_bpmn',
        message: `The draft '${draft.name}' cannot be deployed: ${problems.length} problem(s): ${problems
          .map((p) => (p.elementId ? `${p.elementId}: ${p.message}` : p.message))
          .join('; ')}`,
        problems: problems.map((p) => ({ elementId: p.elementId ?? null, message: p.message })),
      });
      return;
    }
    try {
      const name = `${processes[0]?.bpmnProcessId ?? 'process'}.bpmn`;
      const deployment = await engine.deployResources([{ name, content: draft.bpmnXml }]);
      await engine.recordUserAction({
        user: currentUser(res)?.username ?? '?',
        action: 'DEPLOY',
        details: {
          draft: draft.name,
          processes: deployment.processes.map((p) => `${p.bpmnProcessId} v${p.version}`),
        },
      });
      res.status(201).json({
        deploymentKey: deployment.key,
        processes: deployment.processes.map((p) => ({
          processDefinitionKey: p.processDefinitionKey,
          bpmnProcessId: p.bpmnProcessId,
          version: p.version,
        })),
      });
    } catch (error) {
      sendEngineError(res, error);
    }
  });

  router.post(
    '/api/process-instances',
    analyst,
    validateBody('process-instance-create'),
    async (req, res) => {
      try {
        const created = await engine.createProcessInstance({
          bpmnProcessId: req.body.bpmnProcessId,
          version: req.body.version ?? -1,
          variables: req.body.variables ?? {},
        });
        await engine.recordUserAction({
          user: currentUser(res)?.username ?? '?',
          action: 'START_INSTANCE',
          processInstanceKey: created.processInstanceKey,
          details: { bpmnProcessId: created.bpmnProcessId, version: created.version },
        });
        res.status(201).location(`/api/process-instances/${created.processInstanceKey}`).json({
          processInstanceKey: created.processInstanceKey,
          processDefinitionKey: created.processDefinitionKey,
          bpmnProcessId: created.bpmnProcessId,
          version: created.version,
        });
      } catch (error) {
        sendEngineError(res, error);
      }
    },
  );

  return router;
}

const definitionKey = pathKey('key', 'Process definition key');

export const processesOpenApi: OpenApiContribution = {
  schemas: {
    ProcessDefinitionVersion: {
      type: 'object',
      properties: {
        processDefinitionKey: { type: 'string' },
        bpmnProcessId: { type: 'string' },
        version: { type: 'integer' },
        versionTag: { type: 'string' },
        resourceName: { type: 'string' },
        deployedAt: { type: 'string', format: 'date-time' },
      },
    },
    DeployProblem: {
      type: 'object',
      required: ['elementId', 'message'],
      properties: { elementId: { type: ['string', 'null'] }, message: { type: 'string' } },
    },
  },
  paths: {
    '/api/process-definitions': {
      get: {
        summary: 'Deployed processes with all their versions, newest version first',
        'x-roles': ['analyst'],
        parameters: pageParameters,
        responses: {
          200: jsonResponse(
            'A page of processes',
            pageOfItems({
              type: 'object',
              properties: {
                bpmnProcessId: { type: 'string' },
                latestVersion: { type: 'integer' },
                versions: { type: 'array', items: ref('ProcessDefinitionVersion') },
              },
            }),
          ),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    '/api/process-definitions/{key}': {
      get: {
        summary: 'One version of a process with its BPMN XML',
        'x-roles': ['analyst'],
        parameters: [definitionKey],
        responses: {
          200: jsonResponse('The version', {
            allOf: [
              ref('ProcessDefinitionVersion'),
              { type: 'object', properties: { bpmnXml: { type: 'string' } } },
            ],
          }),
          ...errorResponses(401, 403, 404),
        },
      },
      delete: {
        summary: 'Delete one version of a process (Zeebe DeleteResource)',
        description:
          'Refused with 409 while instances of the version are running. Deleting the latest version makes the version before it the latest; the diagrams of past instances stay readable.',
        'x-roles': ['analyst'],
        parameters: [definitionKey],
        responses: {
          204: { description: 'Deleted' },
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    '/api/process-definitions/{key}/bpmn': {
      get: {
        summary: 'The BPMN file of one version, as a download',
        'x-roles': ['analyst'],
        parameters: [definitionKey],
        responses: {
          200: { description: 'BPMN XML', content: { 'application/xml': {} } },
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/process-definitions/{key}/diff': {
      get: {
        summary: 'Elements added, removed and changed from version `against` to this version',
        'x-roles': ['analyst'],
        parameters: [
          definitionKey,
          {
            name: 'against',
            in: 'query',
            required: true,
            description: 'Key of the older version',
            schema: { type: 'string' },
          },
        ],
        responses: {
          200: jsonResponse('The differences, by element id', {
            type: 'object',
            properties: {
              from: ref('ProcessDefinitionVersion'),
              to: ref('ProcessDefinitionVersion'),
              added: { type: 'array', items: { type: 'string' } },
              removed: { type: 'array', items: { type: 'string' } },
              changed: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    elementId: { type: 'string' },
                    properties: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/api/deployments': {
      post: {
        summary: 'Deploy a draft as the next version of its process',
        description:
          'A draft the engine cannot run answers 400 with `problems`, each naming the element concerned.',
        'x-roles': ['analyst'],
        requestBody: bodySchema('deployment-create'),
        responses: {
          201: jsonResponse('Deployed', {
            type: 'object',
            properties: {
              deploymentKey: { type: 'string' },
              processes: { type: 'array', items: ref('ProcessDefinitionVersion') },
            },
          }),
          400: jsonResponse('The draft cannot be deployed', {
            allOf: [
              ref('Error'),
              {
                type: 'object',
                properties: { problems: { type: 'array', items: ref('DeployProblem') } },
              },
            ],
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/process-instances': {
      post: {
        summary: 'Start an instance of the latest (or a given) version of a process',
        'x-roles': ['analyst'],
        requestBody: bodySchema('process-instance-create'),
        responses: {
          201: jsonResponse('Started', {
            type: 'object',
            properties: {
              processInstanceKey: { type: 'string' },
              processDefinitionKey: { type: 'string' },
              bpmnProcessId: { type: 'string' },
              version: { type: 'integer' },
            },
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
  },
};
