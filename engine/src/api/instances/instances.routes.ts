/**
 * Process instances for auditors (role auditor; admin too), read from the engine's tables:
 * - `GET /api/process-instances?bpmnProcessId=&state=&businessKey=&variableName=&variableValue=
 *   &startedFrom=&startedTo=&limit=&offset=` → `{ items, total }`, newest first
 * - `GET /api/process-instances/:key` → the instance, its BPMN, per-element statistics (tokens,
 *   completed, terminated, incidents), the sequence flows taken and the open incidents
 * - `GET /api/process-instances/:key/variables?name=` → every value each variable had, paged
 * - `GET /api/process-instances/:key/records` → the full record timeline, paged
 * - `GET /api/process-instances/:key/audit-trail?format=json|pdf` → the export, with the
 *   hash-chain verification result
 * And for admins only:
 * - `POST /api/incidents/:key/resolution` `{ retries? }` → gives the failed job its retries back
 *   (1 unless told) and resolves the incident; 204
 */
import { Router, type Request } from 'express';
import type { Engine } from '../../runtime/engine.js';
import { currentUser, requireRole } from '../auth/auth.middleware.js';
import { validateBody } from '../body-validation.js';
import { isEngineKey, sendEngineError } from '../engine-error.response.js';
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
import { collectAuditTrail, writeAuditTrailPdf } from './audit-trail.export.js';
import {
  PROCESS_INSTANCE_STATES,
  type InstanceSearch,
  type ProcessInstanceState,
  type ProcessInstancesRepository,
} from './process-instances.repository.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The search filters of the query string, each checked and named when wrong. */
export function instanceSearchOf(query: Request['query']): Parsed<InstanceSearch> {
  const text = (name: string): string | undefined => {
    const value = query[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const date = (name: string): Parsed<Date | undefined> => {
    const value = text(name);
    if (value === undefined) return { ok: true, value: undefined };
    const parsed = new Date(value);
    return Number.isNaN(parsed.getTime())
      ? {
          ok: false,
          message: `Query parameter '${name}' must be a date or date-time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z), but was '${value}'`,
        }
      : { ok: true, value: parsed };
  };
  const state = text('state');
  if (state !== undefined && !PROCESS_INSTANCE_STATES.includes(state as ProcessInstanceState)) {
    return {
      ok: false,
      message: `Query parameter 'state' must be one of ${PROCESS_INSTANCE_STATES.join(', ')}, but was '${state}'`,
    };
  }
  const variableValue = text('variableValue');
  const variableName = text('variableName');
  if (variableValue !== undefined && variableName === undefined) {
    return {
      ok: false,
      message: "Query parameter 'variableValue' needs 'variableName': the variable to compare",
    };
  }
  const from = date('startedFrom');
  if (!from.ok) return from;
  const to = date('startedTo');
  if (!to.ok) return to;
  return {
    ok: true,
    value: {
      bpmnProcessId: text('bpmnProcessId'),
      state: state as ProcessInstanceState | undefined,
      businessKey: text('businessKey'),
      variableName,
      variableValue,
      startedFrom: from.value,
      startedTo: to.value,
    },
  };
}

export function instancesRoutes(options: {
  engine: Engine;
  instances: ProcessInstancesRepository;
}): Router {
  const { engine, instances } = options;
  const router = Router();
  const auditor = requireRole('auditor');
  const adminOnly = requireRole('admin');
  const notFound = (key: string) => ({
    error: 'not_found',
    message: `No process instance with key '${key}'`,
  });
  const badRequest = (message: string) => ({ error: 'bad_request', message });
  const instance = (key: string) =>
    isEngineKey(key) ? instances.get(key) : Promise.resolve(undefined);

  router.get('/api/process-instances', auditor, async (req, res) => {
    const page = pageOf(req.query);
    if (!page.ok) {
      res.status(400).json(badRequest(page.message));
      return;
    }
    const search = instanceSearchOf(req.query);
    if (!search.ok) {
      res.status(400).json(badRequest(search.message));
      return;
    }
    res.json(await instances.search(search.value, page.value));
  });

  router.get('/api/process-instances/:key', auditor, async (req, res) => {
    const found = await instance(String(req.params.key));
    if (!found) {
      res.status(404).json(notFound(String(req.params.key)));
      return;
    }
    const [path, incidents] = await Promise.all([
      instances.path(found.processInstanceKey),
      instances.openIncidents(found.processInstanceKey),
    ]);
    res.json({ ...found, ...path, incidents });
  });

  router.get('/api/process-instances/:key/variables', auditor, async (req, res) => {
    const page = pageOf(req.query);
    if (!page.ok) {
      res.status(400).json(badRequest(page.message));
      return;
    }
    if (!isEngineKey(String(req.params.key)) || !(await instances.get(String(req.params.key)))) {
      res.status(404).json(notFound(String(req.params.key)));
      return;
    }
    const name = typeof req.query.name === 'string' && req.query.name ? req.query.name : undefined;
    res.json(await instances.variableHistory(String(req.params.key), page.value, name));
  });

  router.get('/api/process-instances/:key/records', auditor, async (req, res) => {
    const page = pageOf(req.query);
    if (!page.ok) {
      res.status(400).json(badRequest(page.message));
      return;
    }
    if (!isEngineKey(String(req.params.key)) || !(await instances.get(String(req.params.key)))) {
      res.status(404).json(notFound(String(req.params.key)));
      return;
    }
    res.json(await instances.timeline(String(req.params.key), page.value));
  });

  router.get('/api/process-instances/:key/audit-trail', auditor, async (req, res) => {
    const format = req.query.format ?? 'json';
    if (format !== 'json' && format !== 'pdf') {
      res
        .status(400)
        .json(badRequest(`Query parameter 'format' must be json or pdf, but was '${format}'`));
      return;
    }
    const found = await instance(String(req.params.key));
    if (!found) {
      res.status(404).json(notFound(String(req.params.key)));
      return;
    }
    const { bpmnXml: _xml, ...summary } = found;
    const trail = await collectAuditTrail(instances, engine, summary, currentUser(res)!.username);
    const fileName = `audit-trail-${found.processInstanceKey}.${format}`;
    res.attachment(fileName);
    if (format === 'json') {
      res.type('application/json').send(JSON.stringify(trail, null, 2));
    } else {
      res.type('application/pdf');
      writeAuditTrailPdf(trail, res);
    }
  });

  router.post(
    '/api/incidents/:key/resolution',
    adminOnly,
    (req, _res, next) => {
      req.body ??= {};
      next();
    },
    validateBody('incident-resolution'),
    async (req, res) => {
      const incident = isEngineKey(String(req.params.key))
        ? await instances.incident(String(req.params.key))
        : undefined;
      if (!incident) {
        res.status(404).json({
          error: 'not_found',
          message: `No open incident with key '${String(req.params.key)}'`,
        });
        return;
      }
      try {
        if (incident.jobKey) await engine.updateJobRetries(incident.jobKey, req.body.retries ?? 1);
        await engine.resolveIncident(incident.incidentKey);
        await engine.recordUserAction({
          user: currentUser(res)?.username ?? '?',
          action: 'RESOLVE_INCIDENT',
          processInstanceKey: incident.processInstanceKey,
          elementId: incident.elementId,
          details: { incidentKey: incident.incidentKey, retries: req.body.retries ?? 1 },
        });
        res.status(204).end();
      } catch (error) {
        sendEngineError(res, error);
      }
    },
  );

  return router;
}

const instanceKey = pathKey('key', 'Process instance key');

export const instancesOpenApi: OpenApiContribution = {
  schemas: {
    ProcessInstance: {
      type: 'object',
      properties: {
        processInstanceKey: { type: 'string' },
        processDefinitionKey: { type: 'string' },
        bpmnProcessId: { type: 'string' },
        version: { type: 'integer' },
        state: { enum: [...PROCESS_INSTANCE_STATES] },
        startedAt: { type: 'string', format: 'date-time' },
        endedAt: { type: 'string', format: 'date-time' },
        businessKey: { description: 'Value of the variable businessKey' },
        openIncidents: { type: 'integer' },
      },
    },
    Incident: {
      type: 'object',
      properties: {
        incidentKey: { type: 'string' },
        elementId: { type: 'string' },
        elementInstanceKey: { type: 'string' },
        errorType: { type: 'string' },
        errorMessage: { type: 'string' },
        jobKey: { type: 'string' },
      },
    },
    Record: {
      type: 'object',
      properties: {
        position: { type: 'string' },
        key: { type: 'string' },
        time: { type: 'string', format: 'date-time' },
        valueType: { type: 'string' },
        intent: { type: 'string' },
        elementId: { type: 'string' },
        value: { type: 'object' },
        hash: { type: 'string', description: 'SHA-256 chain hash' },
      },
    },
  },
  paths: {
    '/api/process-instances': {
      get: {
        summary: 'Search process instances, newest first',
        'x-roles': ['auditor'],
        parameters: [
          { name: 'bpmnProcessId', in: 'query', schema: { type: 'string' } },
          { name: 'state', in: 'query', schema: { enum: [...PROCESS_INSTANCE_STATES] } },
          {
            name: 'businessKey',
            in: 'query',
            description: 'Value of the variable businessKey',
            schema: { type: 'string' },
          },
          { name: 'variableName', in: 'query', schema: { type: 'string' } },
          {
            name: 'variableValue',
            in: 'query',
            description: 'Latest value of variableName, as text or JSON',
            schema: { type: 'string' },
          },
          { name: 'startedFrom', in: 'query', schema: { type: 'string', format: 'date-time' } },
          {
            name: 'startedTo',
            in: 'query',
            description: 'Exclusive',
            schema: { type: 'string', format: 'date-time' },
          },
          ...pageParameters,
        ],
        responses: {
          200: jsonResponse('A page of instances', pageOfItems(ref('ProcessInstance'))),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    '/api/process-instances/{key}': {
      get: {
        summary: 'One instance: its diagram, tokens, completed path and incidents',
        'x-roles': ['auditor'],
        parameters: [instanceKey],
        responses: {
          200: jsonResponse('The instance', {
            allOf: [
              ref('ProcessInstance'),
              {
                type: 'object',
                properties: {
                  bpmnXml: { type: 'string' },
                  elements: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        elementId: { type: 'string' },
                        active: { type: 'integer' },
                        completed: { type: 'integer' },
                        terminated: { type: 'integer' },
                        incidents: { type: 'integer' },
                        openIncidents: { type: 'integer' },
                      },
                    },
                  },
                  takenFlows: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { elementId: { type: 'string' }, count: { type: 'integer' } },
                    },
                  },
                  incidents: { type: 'array', items: ref('Incident') },
                },
              },
            ],
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/process-instances/{key}/variables': {
      get: {
        summary: 'Variable history: every value with its time and the element scope that set it',
        'x-roles': ['auditor'],
        parameters: [
          instanceKey,
          { name: 'name', in: 'query', schema: { type: 'string' } },
          ...pageParameters,
        ],
        responses: {
          200: jsonResponse(
            'A page of variable changes, oldest first',
            pageOfItems({
              type: 'object',
              properties: {
                position: { type: 'string' },
                time: { type: 'string', format: 'date-time' },
                intent: { enum: ['CREATED', 'UPDATED'] },
                name: { type: 'string' },
                value: {},
                scopeKey: { type: 'string' },
                elementId: { type: 'string' },
              },
            }),
          ),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/api/process-instances/{key}/records': {
      get: {
        summary: 'The full record timeline of the instance, in stream order',
        'x-roles': ['auditor'],
        parameters: [instanceKey, ...pageParameters],
        responses: {
          200: jsonResponse('A page of records', pageOfItems(ref('Record'))),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/api/process-instances/{key}/audit-trail': {
      get: {
        summary: 'Export of the audit trail with the hash-chain verification result',
        'x-roles': ['auditor'],
        parameters: [
          instanceKey,
          { name: 'format', in: 'query', schema: { enum: ['json', 'pdf'], default: 'json' } },
        ],
        responses: {
          200: {
            description: 'The audit trail, as a download',
            content: { 'application/json': {}, 'application/pdf': {} },
          },
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    '/api/incidents/{key}/resolution': {
      post: {
        summary: 'Give the failed job retries and resolve the incident',
        'x-roles': ['admin'],
        parameters: [pathKey('key', 'Incident key')],
        requestBody: { ...bodySchema('incident-resolution'), required: false },
        responses: { 204: { description: 'Resolved' }, ...errorResponses(400, 401, 403, 404) },
      },
    },
  },
};
