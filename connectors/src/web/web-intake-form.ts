/**
 * The standard public intake form (a JSON Schema, rendered in the browser by `@rjsf/core`) and
 * how a submission of it becomes an inbound item. A recipient may have its own schema; fields
 * with the standard names (firstName, lastName, birthDate, email, street, postalCode, city,
 * country, wishes, message, attachments) are read the same way from it, and the whole
 * submission is kept as the item's raw original.
 */
import type { IncomingAttachment, NewInboundItem } from '../inbound/inbound-item.js';

export const STANDARD_INTAKE_FORM = {
  title: 'Wish list',
  type: 'object',
  required: ['firstName', 'lastName', 'street', 'postalCode', 'city', 'wishes'],
  properties: {
    firstName: { type: 'string', title: 'First name', minLength: 1, maxLength: 100 },
    lastName: { type: 'string', title: 'Last name', minLength: 1, maxLength: 100 },
    birthDate: { type: 'string', title: 'Birth date', format: 'date' },
    email: { type: 'string', title: 'E-mail for our answer', format: 'email', maxLength: 254 },
    street: { type: 'string', title: 'Street and number', minLength: 1, maxLength: 200 },
    postalCode: { type: 'string', title: 'Postal code', minLength: 1, maxLength: 20 },
    city: { type: 'string', title: 'City', minLength: 1, maxLength: 100 },
    country: { type: 'string', title: 'Country', maxLength: 100 },
    wishes: {
      type: 'array',
      title: 'Wishes',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', minLength: 1, maxLength: 200 },
    },
    message: { type: 'string', title: 'Message', maxLength: 10_000 },
    attachments: {
      type: 'array',
      title: 'Drawings or scans',
      maxItems: 10,
      items: { type: 'string', format: 'data-url' },
    },
  },
  additionalProperties: false,
} as const;

/** Hints for the renderer: a text area for the message. */
export const STANDARD_INTAKE_UI_SCHEMA = {
  message: { 'ui:widget': 'textarea' },
  'ui:order': [
    'firstName',
    'lastName',
    'birthDate',
    'email',
    'street',
    'postalCode',
    'city',
    'country',
    'wishes',
    'message',
    'attachments',
  ],
};

const DATA_URL = /^data:([^;,]+)((?:;[^;,]+=[^;,]*)*);base64,([A-Za-z0-9+/=\s]*)$/;

/** `data:<type>;name=<file>;base64,<bytes>` as rjsf's file widget writes it; undefined if not one. */
export function parseDataUrl(value: string, index: number): IncomingAttachment | undefined {
  const match = DATA_URL.exec(value);
  if (!match) return undefined;
  const name = /;name=([^;,]*)/.exec(match[2])?.[1];
  return {
    filename: name ? decodeURIComponent(name) : `attachment-${index + 1}`,
    contentType: match[1],
    content: Buffer.from(match[3], 'base64'),
  };
}

export const isDataUrl = (value: string) => DATA_URL.test(value);

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** The inbound item for a valid submission. */
export function submissionToItem(
  recipientId: string,
  submission: Record<string, unknown>,
  receivedAt: Date,
  submissionId?: string,
): NewInboundItem {
  const name = [str(submission.firstName), str(submission.lastName)].filter(Boolean).join(' ');
  const address = [
    str(submission.street),
    [str(submission.postalCode), str(submission.city)].filter(Boolean).join(' '),
    str(submission.country),
  ]
    .filter(Boolean)
    .join('\n');
  const wishes = Array.isArray(submission.wishes) ? submission.wishes.map(String) : [];
  const lines = [
    ...(str(submission.birthDate) ? [`Birth date: ${str(submission.birthDate)}`] : []),
    ...(wishes.length > 0 ? ['Wishes:', ...wishes.map((w) => `- ${w}`)] : []),
    ...(str(submission.message) ? ['', str(submission.message)!] : []),
  ];
  const attachments = (Array.isArray(submission.attachments) ? submission.attachments : [])
    .map((a, i) => (typeof a === 'string' ? parseDataUrl(a, i) : undefined))
    .filter((a): a is IncomingAttachment => a !== undefined);
  return {
    channel: 'web',
    recipientId,
    sender: {
      ...(name ? { name } : {}),
      ...(str(submission.email) ? { email: str(submission.email) } : {}),
      ...(address ? { address } : {}),
    },
    receivedAt,
    subject: `Web form: ${name || 'anonymous'}`,
    bodyText: lines.join('\n').trim(),
    attachments,
    raw: { content: Buffer.from(JSON.stringify(submission)), contentType: 'application/json' },
    ...(submissionId ? { channelMessageId: submissionId } : {}),
  };
}
