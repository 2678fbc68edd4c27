/**
 * The form editor's part of the OpenAPI document (`/api/openapi.json`): the routes of
 * `forms.routes.ts`, described next to them so that the two change together.
 */
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

const analyst = { 'x-roles': ['analyst'] };
const draftId = pathKey('id', 'Form draft id');
const formKey = {
  name: 'formKey',
  in: 'path',
  required: true,
  description: 'Form key, as user tasks name it in zeebe:formDefinition',
  schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$' },
};
const list = (item: Record<string, unknown>) => ({
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: item } },
});

const summary = {
  formKey: { type: 'string' },
  name: { type: 'string' },
};
const versionSummary = {
  ...summary,
  version: { type: 'integer', minimum: 1 },
  checksum: { type: 'string', description: 'SHA-256 of name and schemas' },
  deployedAt: { type: 'string', format: 'date-time' },
  deployedBy: { type: 'string' },
};

export const formsOpenApi: OpenApiContribution = {
  schemas: {
    FormDraftSummary: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        ...summary,
        revision: { type: 'integer' },
        updatedBy: { type: 'string' },
        updatedAt: { type: 'string', format: 'date-time' },
      },
    },
    FormDraft: {
      allOf: [
        ref('FormDraftSummary'),
        {
          type: 'object',
          properties: { jsonSchema: { type: 'object' }, uiSchema: { type: 'object' } },
        },
      ],
    },
    FormVersionSummary: { type: 'object', properties: versionSummary },
    FormVersion: {
      type: 'object',
      properties: {
        ...versionSummary,
        jsonSchema: { type: 'object' },
        uiSchema: { type: 'object' },
      },
    },
    FormUsage: {
      type: 'object',
      properties: {
        ...summary,
        latestVersion: { type: 'integer' },
        versions: { type: 'array', items: { type: 'object' } },
        processes: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              processDefinitionKey: { type: 'string' },
              bpmnProcessId: { type: 'string' },
              version: { type: 'integer' },
              tenantId: { type: 'string' },
              deployedAt: { type: 'string', format: 'date-time' },
              userTasks: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { elementId: { type: 'string' }, name: { type: ['string', 'null'] } },
                },
              },
              formVersionAtDeployment: {
                type: ['integer', 'null'],
                description: 'The latest form version when this process version was deployed',
              },
            },
          },
        },
      },
    },
  },
  paths: {
    '/api/form-drafts': {
      get: {
        ...analyst,
        summary: 'Form drafts, newest first, without their schemas',
        parameters: pageParameters,
        responses: {
          200: jsonResponse('A page of form drafts', pageOfItems(ref('FormDraftSummary'))),
          ...errorResponses(400, 401, 403),
        },
      },
      post: {
        ...analyst,
        summary:
          'Create the draft of a form key at revision 1; the JSON Schema must be a draft-07 schema of an object',
        requestBody: bodySchema('form-draft-create'),
        responses: {
          201: jsonResponse('The draft', ref('FormDraft')),
          ...errorResponses(400, 401, 403, 409),
        },
      },
    },
    '/api/form-drafts/{id}': {
      get: {
        ...analyst,
        summary: 'One form draft with its schemas',
        parameters: [draftId],
        responses: {
          200: jsonResponse('The draft', ref('FormDraft')),
          ...errorResponses(401, 403, 404),
        },
      },
      put: {
        ...analyst,
        summary: 'Save a new revision; 409 when someone saved in between',
        parameters: [draftId],
        requestBody: bodySchema('form-draft-save'),
        responses: {
          200: jsonResponse('The new revision', ref('FormDraft')),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
      delete: {
        ...analyst,
        summary: 'Delete a form draft; its deployed versions stay',
        parameters: [draftId],
        responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
      },
    },
    '/api/form-drafts/{id}/deploy': {
      post: {
        ...analyst,
        summary:
          'Deploy the draft as the next version of its form key (immutable from then on); nothing new when it equals the latest version',
        parameters: [draftId],
        requestBody: bodySchema('form-deploy'),
        responses: {
          201: jsonResponse('The new version', ref('FormVersion')),
          200: jsonResponse(
            'Unchanged: the latest version, with duplicate: true',
            ref('FormVersion'),
          ),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    '/api/forms': {
      get: {
        ...analyst,
        summary: 'Every deployed form key with its latest version',
        responses: {
          200: jsonResponse('The deployed forms', list(ref('FormVersionSummary'))),
          ...errorResponses(401, 403),
        },
      },
    },
    '/api/forms/usage': {
      get: {
        ...analyst,
        summary:
          'Per deployed form key: its versions and the deployed process versions whose user tasks name it',
        responses: {
          200: jsonResponse('Form usage', list(ref('FormUsage'))),
          ...errorResponses(401, 403),
        },
      },
    },
    '/api/forms/{formKey}/versions': {
      get: {
        ...analyst,
        summary: 'The deployed versions of a form, newest first',
        parameters: [formKey],
        responses: {
          200: jsonResponse('The versions', list(ref('FormVersionSummary'))),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/forms/{formKey}/versions/{version}': {
      get: {
        ...analyst,
        summary: 'One deployed version of a form with its schemas',
        parameters: [
          formKey,
          {
            name: 'version',
            in: 'path',
            required: true,
            schema: { type: 'integer', minimum: 1 },
          },
        ],
        responses: {
          200: jsonResponse('The version', ref('FormVersion')),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/tasks/{key}/form': {
      get: {
        'x-roles': ['caseworker'],
        summary:
          'The form a user task shows now: the latest deployed version of its form key, else schemas/forms/<key>.schema.json',
        parameters: [pathKey('key', 'Job key of the user task')],
        responses: {
          200: jsonResponse('The form', {
            type: 'object',
            properties: {
              formKey: { type: 'string' },
              version: { type: ['integer', 'null'] },
              schema: { type: 'object' },
              uiSchema: { type: 'object' },
            },
          }),
          422: jsonResponse("The task's form key names no form", ref('Error')),
          ...errorResponses(401, 403, 404),
        },
      },
    },
  },
};
