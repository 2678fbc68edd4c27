/**
 * The intake's part of Kontor's OpenAPI document (`/api/openapi.json`): the public web form,
 * the scan upload and status at a button press, described next to their routes' package so the
 * two change together. (Same shape as the engine's `OpenApiContribution`.)
 */
type Operation = Record<string, unknown>;

const error = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: { error: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
});

const reference = {
  name: 'reference',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^IN-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$' },
  description: "The item's reference, as the sender was told it",
};

const statusView = {
  type: 'object',
  properties: {
    reference: { type: 'string' },
    recipientId: { type: 'string' },
    channel: { enum: ['email', 'web', 'post', 'fax'] },
    receivedAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', description: 'The latest step' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          at: { type: 'string', format: 'date-time' },
          status: { type: 'string' },
          detail: { type: ['string', 'null'] },
        },
      },
    },
  },
};

const json = (description: string, schema: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema } },
});

export const intakeOpenApi: {
  readonly paths: Record<string, Record<string, Operation>>;
} = {
  paths: {
    '/api/intake/recipients': {
      get: {
        summary: 'The recipients that take web submissions (public)',
        responses: {
          200: json('Recipients', {
            type: 'array',
            items: {
              type: 'object',
              properties: { id: { type: 'string' }, name: { type: 'string' } },
            },
          }),
        },
      },
    },
    '/api/intake/recipients/{id}/form': {
      get: {
        summary: "A recipient's public intake form: JSON Schema and UI schema (public)",
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: json('The form', {
            type: 'object',
            properties: {
              recipient: { type: 'object' },
              schema: { type: 'object' },
              uiSchema: { type: 'object' },
            },
          }),
          404: error('No such recipient'),
        },
      },
    },
    '/api/intake/recipients/{id}/submissions': {
      post: {
        summary: 'Submit the public intake form (no sign-in; rate limited per client address)',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string' },
            description: 'A retried submission with the same key is stored once (200)',
          },
        ],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object' } } },
        },
        responses: {
          201: json('Stored', {
            type: 'object',
            properties: {
              reference: { type: 'string' },
              receivedAt: { type: 'string', format: 'date-time' },
              statusToken: { type: 'string' },
            },
          }),
          400: error('The values do not match the form (with problems)'),
          404: error('No such recipient'),
          413: error('Too many or too large attachments'),
          429: error('Too many submissions from this address (Retry-After)'),
        },
      },
    },
    '/api/intake/scans': {
      post: {
        summary: 'Upload a scanned letter or fax (signed in; the body is the PDF or image)',
        parameters: [
          { name: 'recipient', in: 'query', required: true, schema: { type: 'string' } },
          { name: 'channel', in: 'query', required: true, schema: { enum: ['post', 'fax'] } },
          { name: 'filename', in: 'query', required: false, schema: { type: 'string' } },
          {
            name: 'sender',
            in: 'query',
            required: false,
            description: "A fax's sending number as the fax server tells it (channel fax only)",
            schema: { type: 'string', example: '+49 89 7654321' },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/pdf': { schema: { type: 'string', format: 'binary' } },
            'image/*': { schema: { type: 'string', format: 'binary' } },
          },
        },
        responses: {
          201: json('Stored', {
            type: 'object',
            properties: {
              reference: { type: 'string' },
              textMethod: { enum: ['text-layer', 'ocr', 'none'] },
            },
          }),
          400: error('Recipient or channel missing'),
          401: error('Not signed in'),
          404: error('No such recipient'),
          413: error('Over the attachment limit'),
          415: error('Not a PDF or an image'),
        },
        security: [{ session: [] }],
      },
    },
    '/api/intake/status/{reference}': {
      get: {
        summary: "An item's status and history, for the claimant (public, with the status token)",
        parameters: [
          reference,
          { name: 'token', in: 'query', required: true, schema: { type: 'string' } },
        ],
        responses: {
          200: json('Status and history', statusView),
          404: error('No such item with this token'),
        },
      },
    },
    '/api/intake/items/{reference}/status': {
      get: {
        summary: "An item's status and history, for its recipient's office and the central team",
        parameters: [reference],
        responses: {
          200: json('Status and history', statusView),
          401: error('Not signed in'),
          403: error("Not this recipient's office"),
          404: error('No such item'),
        },
        security: [{ session: [] }],
      },
    },
  },
};
