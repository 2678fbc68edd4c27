/**
 * The tasklist's part of the OpenAPI document (`/api/openapi.json`): the `/api/tasks` routes of
 * `tasks.routes.ts`, described next to them so that the two change together.
 */
import {
  errorResponses,
  jsonResponse,
  pageOfItems,
  pageParameters,
  pathKey,
  ref,
  type OpenApiContribution,
} from '../api/openapi.js';
import { TASK_FILTERS, TASK_SORTS } from './user-task.repository.js';

const taskKey = pathKey('key', 'Job key of the user task');
const roles = { 'x-roles': ['caseworker'] };
const gone = { 410: jsonResponse('The engine no longer has the job', ref('Error')) };

const summaryProperties = {
  key: { type: 'string', description: 'Job key' },
  name: { type: 'string' },
  elementId: { type: 'string' },
  bpmnProcessId: { type: 'string' },
  processVersion: { type: 'integer' },
  processInstanceKey: { type: 'string' },
  formKey: { type: ['string', 'null'] },
  assignee: { type: ['string', 'null'] },
  candidateGroups: { type: 'array', items: { type: 'string' } },
  candidateUsers: { type: 'array', items: { type: 'string' } },
  dueDate: { type: ['string', 'null'], format: 'date-time' },
  followUpDate: { type: ['string', 'null'], format: 'date-time' },
  state: { enum: ['open', 'completed', 'canceled'] },
  createdAt: { type: 'string', format: 'date-time' },
  completedAt: { type: ['string', 'null'], format: 'date-time' },
  completedBy: { type: ['string', 'null'] },
};

export const tasksOpenApi: OpenApiContribution = {
  schemas: {
    UserTaskSummary: { type: 'object', properties: summaryProperties },
    UserTask: {
      type: 'object',
      properties: {
        ...summaryProperties,
        processDefinitionKey: { type: 'string' },
        elementInstanceKey: { type: 'string' },
        tenantId: { type: 'string' },
        variables: { type: 'object', description: 'Variables when the tasklist took the job' },
        completionVariables: { type: ['object', 'null'] },
      },
    },
  },
  paths: {
    '/api/tasks': {
      get: {
        ...roles,
        summary: 'User tasks, filtered, sorted and paged on the server',
        parameters: [
          {
            name: 'filter',
            in: 'query',
            description: `Comma-separated, combined with AND: ${TASK_FILTERS.join(', ')}. Without 'completed', open tasks only.`,
            schema: { type: 'string' },
          },
          {
            name: 'process',
            in: 'query',
            description: 'BPMN process id',
            schema: { type: 'string' },
          },
          {
            name: 'variable',
            in: 'query',
            description:
              'name=value the task variables must contain (repeatable); the value is read as JSON when it parses, else as text',
            schema: { type: 'array', items: { type: 'string' } },
            style: 'form',
            explode: true,
          },
          { name: 'sort', in: 'query', schema: { enum: [...TASK_SORTS], default: 'created' } },
          { name: 'order', in: 'query', schema: { enum: ['asc', 'desc'], default: 'asc' } },
          ...pageParameters,
        ],
        responses: {
          200: jsonResponse('A page of tasks', pageOfItems(ref('UserTaskSummary'))),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    '/api/tasks/processes': {
      get: {
        ...roles,
        summary: 'The BPMN process ids that have user tasks',
        responses: {
          200: jsonResponse('Process ids', {
            type: 'object',
            properties: { items: { type: 'array', items: { type: 'string' } } },
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    '/api/tasks/{key}': {
      get: {
        ...roles,
        summary: "A task with its form's JSON Schema, or the reason the form cannot be shown",
        parameters: [taskKey],
        responses: {
          200: jsonResponse('The task', {
            type: 'object',
            properties: {
              task: ref('UserTask'),
              form: {
                oneOf: [
                  { type: 'null' },
                  {
                    type: 'object',
                    properties: {
                      schema: { type: 'object' },
                      uiSchema: { type: 'object' },
                      version: {
                        type: ['integer', 'null'],
                        description: 'Deployed form version; null for a form from schemas/forms',
                      },
                    },
                  },
                  { type: 'object', properties: { error: { type: 'string' } } },
                ],
              },
            },
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/tasks/{key}/process': {
      get: {
        ...roles,
        summary: "The task's deployed process (BPMN XML) and its element, for a diagram",
        parameters: [taskKey],
        responses: {
          200: jsonResponse('The process context', {
            type: 'object',
            properties: {
              processDefinitionKey: { type: 'string' },
              bpmnProcessId: { type: 'string' },
              version: { type: 'integer' },
              elementId: { type: 'string' },
              bpmnXml: { type: 'string' },
            },
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    '/api/tasks/{key}/claim': {
      post: {
        ...roles,
        summary: 'Claim the task (renews the job lease)',
        parameters: [taskKey],
        responses: {
          200: jsonResponse('The claimed task', ref('UserTask')),
          ...errorResponses(401, 403, 404, 409),
          ...gone,
        },
      },
    },
    '/api/tasks/{key}/unclaim': {
      post: {
        ...roles,
        summary: 'Release the claim (admins may release anyone’s)',
        parameters: [taskKey],
        responses: {
          200: jsonResponse('The task', ref('UserTask')),
          ...errorResponses(401, 403, 404, 409),
        },
      },
    },
    '/api/tasks/{key}/complete': {
      post: {
        ...roles,
        summary:
          "Complete the task with its form's values: checked against the form's JSON Schema, then the job is completed through the Zeebe client",
        parameters: [taskKey],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { variables: { type: 'object' } },
              },
            },
          },
        },
        responses: {
          200: jsonResponse('The completed task', ref('UserTask')),
          ...errorResponses(400, 401, 403, 404, 409),
          ...gone,
          422: jsonResponse("The task's form key names no form", ref('Error')),
        },
      },
    },
  },
};
