/**
 * Upload of scanned letters and faxes by the mail room (signed in): the body is the scan itself.
 *
 *   POST /api/intake/scans?recipient=christkind&channel=post&filename=brief.pdf
 *   POST /api/intake/scans?recipient=christkind&channel=fax&sender=%2B49%2089%207654321
 *        content-type: application/pdf | image/png | image/jpeg | image/tiff
 *   → 201 { reference, textMethod: 'text-layer' | 'ocr' | 'none' }
 *
 * `sender`: a fax's sending number as the fax server tells it (fax only); answers go back to it.
 *
 * 401 without a session, 400 for a missing recipient or channel or a sender that is not a fax
 * number (or given for post), 404 for an unknown recipient,
 * 413 for a scan over the attachment limit, 415 for content that is not a PDF or an image.
 * Nothing is stored on any failure.
 */
import express, { Router, type Response } from 'express';
import { InboundRejectedError } from '../inbound/inbound.service.js';
import { FAX_NUMBER, type ScanIntake } from './scan-intake.js';
import { NotAScanError } from './scan-text.js';

export function scanIntakeRoutes(options: { scans: ScanIntake; maxBytes: number }): Router {
  const router = Router();
  router.post(
    '/api/intake/scans',
    (_req, res: Response, next) => {
      // res.locals.user is the signed-in user, set by Kontor's session middleware
      if (!res.locals.user) {
        res.status(401).json({ error: 'unauthenticated', message: 'Sign in first' });
        return;
      }
      next();
    },
    express.raw({ type: () => true, limit: options.maxBytes }),
    async (req, res) => {
      const recipientId = typeof req.query.recipient === 'string' ? req.query.recipient : '';
      const channel = req.query.channel;
      const filename =
        typeof req.query.filename === 'string' && req.query.filename.trim() !== ''
          ? req.query.filename.trim()
          : 'scan';
      if (!recipientId || (channel !== 'post' && channel !== 'fax')) {
        res.status(400).json({
          error: 'bad_request',
          message:
            'Expected the query parameters recipient (a recipient id) and channel (post or fax)',
        });
        return;
      }
      const sender = typeof req.query.sender === 'string' ? req.query.sender.trim() : undefined;
      if (sender !== undefined && (channel !== 'fax' || !FAX_NUMBER.test(sender))) {
        res.status(400).json({
          error: 'bad_request',
          message: `Expected the query parameter sender to be the fax number a fax came from (such as +49 89 7654321), got '${sender}' for channel ${channel}`,
        });
        return;
      }
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      try {
        const { item, duplicate, textMethod } = await options.scans.receive({
          recipientId,
          channel,
          filename,
          content,
          ...(sender ? { senderFax: sender } : {}),
        });
        res.status(duplicate ? 200 : 201).json({ reference: item.reference, textMethod });
      } catch (error) {
        if (error instanceof NotAScanError) {
          res.status(415).json({ error: 'not_a_scan', message: error.message });
        } else if (error instanceof InboundRejectedError) {
          res
            .status(error.reason === 'unknown_recipient' ? 404 : 413)
            .json({ error: error.reason, message: error.message });
        } else throw error;
      }
    },
  );
  return router;
}
