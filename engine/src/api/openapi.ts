/**
 * The OpenAPI 3.1 document of Kontor's REST API, served at `GET /api/openapi.json` (no sign-in:
 * it describes routes, it reveals no data). Every router contributes its own paths: a router
 * module exports an `OpenApiContribution` next to its routes, and `kontor.ts` passes the list to
 * `openApiRoutes`. The document must never describe a route that does not exist; the REST tests
 * check each documented path against a real request.
 *
 *   export const processesOpenApi: OpenApiContribution = {
 *     paths: { '/api/process-definitions': { get: { summary, 'x-roles': ['analyst'], ... } } },
 *   };
 *   openApiRoutes([processesOpenApi, instancesOpenApi]);
 *
 * Request body schemas are taken from `schemas/api/*.schema.json` by name (`bodySchema`), so the
 * document and the validation never disagree.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';

type Json = Record<string, unknown>;

export interface OpenApiContribution {
  /** path → method → OpenAPI operation; paths use OpenAPI's `{name}` parameters */
  readonly paths: Record<string, Record<string, Json>>;
  /** reusable schemas, referenced as `#/components/schemas/<name>` */
  readonly schemas?: Record<string, Json>;
}

const SCHEMA_DIR = new URL('../../../schemas/api/', import.meta.url);

/** A JSON request body validated by `validateBody(name)`, described by the same schema file. */
export function bodySchema(name: string): Json {
  const {
    $schema: _dialect,
    $id: _id,
    ...schema
  } = JSON.parse(
    fs.readFileSync(fileURLToPath(new URL(`${name}.schema.json`, SCHEMA_DIR)), 'utf8'),
  ) as Json;
  return { required: true, content: { 'application/json': { schema } } };
}

/** A JSON response with the given schema. */
export function jsonResponse(description: string, schema: Json = { type: 'object' }): Json {
  return { description, content: { 'application/json': { schema } } };
}

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/** The error answers every role-checked route can give. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409)[]): Json {
  const text: Record<number, string> = {
    400: 'Bad input; `message` names the input and what was expected',
    401: 'Not signed in',
    403: 'Signed in without a role that may use this route',
    404: 'No such resource',
    409: 'Conflict with the current state',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), jsonResponse(text[s], ref('Error'))]));
}

export const pageParameters: Json[] = [
  {
    name: 'limit',
    in: 'query',
    description: 'Page size, 1–200',
    schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
  {
    name: 'offset',
    in: 'query',
    description: 'Items to skip',
    schema: { type: 'integer', minimum: 0, default: 0 },
  },
];

export const pathKey = (name: string, description: string): Json => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', pattern: '^[1-9][0-9]{0,18}$' },
});

export function pageOfItems(item: Json): Json {
  return {
    type: 'object',
    required: ['items', 'total'],
    properties: { items: { type: 'array', items: item }, total: { type: 'integer' } },
  };
}

/** Sign-in, health and drafts: the routes that came before contributions existed. */
const coreOpenApi: OpenApiContribution = {
  schemas: {
    Error: {
      type: 'object',
      required: ['error', 'message'],
      properties: {
        error: { type: 'string', examples: ['bad_request', 'forbidden', 'not_found'] },
        message: { type: 'string' },
        problems: { type: 'array', items: { type: 'object' } },
      },
    },
    User: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        username: { type: 'string' },
        displayName: { type: 'string' },
        roles: {
          type: 'array',
          items: { enum: ['analyst', 'caseworker', 'auditor', 'admin'] },
        },
        candidateGroups: { type: 'array', items: { type: 'string' } },
      },
    },
    Draft: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        name: { type: 'string' },
        revision: { type: 'integer' },
        bpmnXml: { type: 'string' },
        updatedBy: { type: 'string' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    },
  },
  paths: {
    '/health/live': {
      get: { summary: 'The process is up', responses: { 200: jsonResponse('Alive') } },
    },
    '/health/ready': {
      get: {
        summary: 'Database reachable, migrations applied, accepting work',
        responses: { 200: jsonResponse('Ready'), 503: jsonResponse('Not ready') },
      },
    },
    '/api/auth/login': {
      post: {
        summary: 'Sign in with username and password; sets the session cookie',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['username', 'password'],
                properties: { username: { type: 'string' }, password: { type: 'string' } },
              },
            },
          },
        },
        responses: {
          200: jsonResponse('Signed in', {
            type: 'object',
            properties: { user: ref('User') },
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    '/api/auth/logout': {
      post: {
        summary: 'Sign out; ends the session',
        responses: { 204: { description: 'Signed out' } },
      },
    },
    '/api/auth/me': {
      get: {
        summary: 'The signed-in user',
        responses: {
          200: jsonResponse('The user', { type: 'object', properties: { user: ref('User') } }),
          ...errorResponses(401),
        },
      },
    },
    '/api/drafts': {
      get: {
        summary: 'Process drafts, newest first, without their XML',
        'x-roles': ['analyst'],
        parameters: pageParameters,
        responses: {
          200: jsonResponse('A page of drafts', pageOfItems(ref('Draft'))),
          ...errorResponses(400, 401, 403),
        },
      },
      post: {
        summary: 'Create a draft at revision 1',
        'x-roles': ['analyst'],
        requestBody: bodySchema('draft-create'),
        responses: {
          201: jsonResponse('The draft', ref('Draft')),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    '/api/drafts/{id}': {
      get: {
        summary: 'One draft with its XML',
        'x-roles': ['analyst'],
        parameters: [pathKey('id', 'Draft id')],
        responses: {
          200: jsonResponse('The draft', ref('Draft')),
          ...errorResponses(401, 403, 404),
        },
      },
      put: {
        summary: 'Save a new revision; 409 when someone saved in between',
        'x-roles': ['analyst'],
        parameters: [pathKey('id', 'Draft id')],
        requestBody: bodySchema('draft-save'),
        responses: {
          200: jsonResponse('The new revision', ref('Draft')),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
      delete: {
        summary: 'Delete a draft',
        'x-roles': ['analyst'],
        parameters: [pathKey('id', 'Draft id')],
        responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
      },
    },
    '/api/drafts/{id}/bpmn': {
      get: {
        summary: "The draft's BPMN file, as a download",
        'x-roles': ['analyst'],
        parameters: [pathKey('id', 'Draft id')],
        responses: {
          200: { description: 'BPMN XML', content: { 'application/xml': {} } },
          ...errorResponses(401, 403, 404),
        },
      },
    },
  },
};

export function openApiDocument(contributions: readonly OpenApiContribution[]): Json {
  const all = [coreOpenApi, ...contributions];
  const paths: Record<string, Record<string, Json>> = {};
  for (const contribution of all) {
    for (const [path, operations] of Object.entries(contribution.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (paths[path]?.[method])
          throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is described twice`);
        const roles = operation['x-roles'] as string[] | undefined;
        paths[path] = {
          ...paths[path],
          [method]: roles
            ? {
                ...operation,
                description: [
                  operation.description,
                  `Roles: ${roles.join(', ')} (admin may use every route).`,
                ]
                  .filter(Boolean)
                  .join('\n\n'),
                security: [{ session: [] }],
              }
            : operation,
        };
      }
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kontor REST API',
      version: '1',
      description:
        'The REST API of Kontor, the web app and integrations use it. Lists are paged on the server with `limit` and `offset`; errors are `{ error, message }`.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: Object.assign({}, ...all.map((c) => c.schemas ?? {})),
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'kontor_session' },
      },
    },
  };
}

export function openApiRoutes(contributions: readonly OpenApiContribution[]): Router {
  const document = openApiDocument(contributions);
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
