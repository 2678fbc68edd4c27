/**
 * The web channel: a public intake form per recipient, no sign-in. Anyone may fetch a
 * recipient's form and submit it; submissions are rate limited per client address (across every Kontor on the database), validated
 * against the recipient's JSON Schema and stored as inbound items like mail.
 *
 *   GET  /api/intake/recipients                          → [{ id, name }]
 *   GET  /api/intake/recipients/:id/form                 → { recipient, schema, uiSchema }
 *   POST /api/intake/recipients/:id/submissions          → 201 { reference, receivedAt, statusToken }
 *        (Idempotency-Key header: a retried submission is stored once)
 *
 * Failures: 400 with `problems` when the values do not match the form, 404 for an unknown
 * recipient, 413 for too many or too large attachments, 429 with Retry-After when the address
 * sent too many submissions. Nothing is stored on any failure.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { Router, type Request, type Response } from 'express';
import type pg from 'pg';
import { InboundRejectedError, type InboundService } from '../inbound/inbound.service.js';
import type { ItemStatus } from '../inbound/item-status.js';
import type { Recipient, RecipientsRepository } from '../inbound/recipients.repository.js';
import { RateLimiter, type RateLimit } from './rate-limiter.js';
import {
  isDataUrl,
  STANDARD_INTAKE_FORM,
  STANDARD_INTAKE_UI_SCHEMA,
  submissionToItem,
} from './web-intake-form.js';

export interface WebIntakeOptions {
  readonly intake: InboundService;
  readonly recipients: RecipientsRepository;
  /** @default 10 submissions per minute per client address */
  readonly rateLimit?: RateLimit;
  /** where the rate limit's buckets are kept (shared by every Kontor on the database) */
  readonly pool: Pick<pg.Pool, 'query'>;
  /** gives the submitter a status token for their reference */
  readonly status?: ItemStatus;
}

export interface FormProblem {
  readonly path: string;
  readonly message: string;
}

export function webIntakeRoutes(options: WebIntakeOptions): Router {
  const router = Router();
  const limiter = new RateLimiter(
    options.pool,
    'web-intake',
    options.rateLimit ?? { limit: 10, windowMs: 60_000 },
  );
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  ajv.addFormat('data-url', isDataUrl);
  const validators = new Map<string, ValidateFunction>();
  const validatorFor = (schema: object) => {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(schema);
      validators.set(key, validate);
    }
    return validate;
  };

  const recipientOr404 = async (req: Request, res: Response): Promise<Recipient | undefined> => {
    const recipient = await options.recipients.get(String(req.params.id));
    if (!recipient) {
      res.status(404).json({
        error: 'not_found',
        message: `No recipient '${String(req.params.id)}' takes web submissions`,
      });
    }
    return recipient;
  };

  router.get('/api/intake/recipients', async (_req, res) => {
    const all = await options.recipients.list();
    res.json(all.map((r) => ({ id: r.id, name: r.name })));
  });

  router.get('/api/intake/recipients/:id/form', async (req, res) => {
    const recipient = await recipientOr404(req, res);
    if (!recipient) return;
    res.json({
      recipient: { id: recipient.id, name: recipient.name },
      schema: recipient.webFormSchema ?? STANDARD_INTAKE_FORM,
      uiSchema: recipient.webFormSchema ? {} : STANDARD_INTAKE_UI_SCHEMA,
    });
  });

  router.post('/api/intake/recipients/:id/submissions', async (req, res) => {
    const verdict = await limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (!verdict.ok) {
      res
        .status(429)
        .set('Retry-After', String(verdict.retryAfterSeconds))
        .json({
          error: 'rate_limited',
          message: `Too many submissions from this address; try again in ${verdict.retryAfterSeconds} s`,
        });
      return;
    }
    const recipient = await recipientOr404(req, res);
    if (!recipient) return;
    const submission: unknown = req.body;
    if (typeof submission !== 'object' || submission === null || Array.isArray(submission)) {
      res.status(400).json({
        error: 'invalid_form',
        message: 'Expected the form values as a JSON object',
        problems: [],
      });
      return;
    }
    const validate = validatorFor(recipient.webFormSchema ?? STANDARD_INTAKE_FORM);
    if (!validate(submission)) {
      const problems: FormProblem[] = (validate.errors ?? []).map((e) => ({
        path: e.instancePath || '/',
        message:
          e.keyword === 'additionalProperties'
            ? `has no field '${String(e.params.additionalProperty)}'`
            : e.keyword === 'required'
              ? `needs '${String(e.params.missingProperty)}'`
              : (e.message ?? 'is invalid'),
      }));
      res.status(400).json({
        error: 'invalid_form',
        message: `The values do not match the form of '${recipient.id}': ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
        problems,
      });
      return;
    }
    const idempotencyKey = req.get('idempotency-key')?.trim();
    try {
      const { item, duplicate } = await options.intake.receive(
        submissionToItem(
          recipient.id,
          submission as Record<string, unknown>,
          new Date(),
          idempotencyKey ? `web:${idempotencyKey}` : undefined,
        ),
      );
      res.status(duplicate ? 200 : 201).json({
        reference: item.reference,
        receivedAt: item.receivedAt.toISOString(),
        ...(options.status ? { statusToken: await options.status.tokenFor(item.reference) } : {}),
      });
    } catch (error) {
      if (!(error instanceof InboundRejectedError)) throw error;
      res.status(error.reason === 'unknown_recipient' ? 404 : 413).json({
        error: error.reason,
        message: error.message,
      });
    }
  });

  return router;
}
