/**
 * The post and fax channels: a scanned letter or fax (PDF or image) becomes an inbound item whose
 * text is the scan's text layer or OCR, with the scan as attachment and raw original. A scan
 * without readable text is stored all the same, marked in its subject as needing transcription,
 * and its process asks a person for what the rules could not read.
 *
 *   const scans = new ScanIntake({ intake, ocr: await tesseractOcr() });
 *   const { item, textMethod } = await scans.receive({ recipientId: 'christkind', channel: 'post', filename: 'brief.pdf', content });
 *   await scans.receive({ recipientId: 'christkind', channel: 'fax', filename: 'fax.pdf', content, senderFax: '+49 89 7654321' });
 */
import type { InboundChannel, InboundItem } from '../inbound/inbound-item.js';
import type { InboundService } from '../inbound/inbound.service.js';
import { CONTENT_TYPES, textOfScan, type OcrEngine, type ScanText } from './scan-text.js';

export interface Scan {
  readonly recipientId: string;
  readonly channel: Extract<InboundChannel, 'post' | 'fax'>;
  readonly filename: string;
  readonly content: Buffer;
  /** identifies the same scan delivered twice (e.g. the hot folder's file name and size) */
  readonly scanId?: string;
  /** a fax's sending number, as the fax server tells it (caller id / station id) */
  readonly senderFax?: string;
}

/** A fax number as fax servers give it: digits, at most one leading +, spaces, dashes, slashes, parentheses. */
export const FAX_NUMBER = /^\+?[\d\s()/-]{6,30}$/;

export const NEEDS_TRANSCRIPTION = 'needs transcription';

export class ScanIntake {
  constructor(private readonly options: { intake: InboundService; ocr?: OcrEngine }) {}

  /** Throws `NotAScanError` (nothing stored) or `InboundRejectedError`. */
  async receive(
    scan: Scan,
  ): Promise<{ item: InboundItem; duplicate: boolean; textMethod: ScanText['method'] }> {
    const attachment = {
      filename: scan.filename,
      contentType: 'application/octet-stream',
      content: scan.content,
    };
    // The intake's rules (recipient, size) before the work of reading the scan.
    await this.options.intake.check({ recipientId: scan.recipientId, attachments: [attachment] });
    const text = await textOfScan(scan.content, { ocr: this.options.ocr });
    const contentType = CONTENT_TYPES[text.kind];
    const what = scan.channel === 'fax' ? 'Fax' : 'Letter';
    const senderFax = scan.channel === 'fax' ? scan.senderFax?.trim() : undefined;
    const { item, duplicate } = await this.options.intake.receive({
      channel: scan.channel,
      recipientId: scan.recipientId,
      sender: senderFax ? { fax: senderFax } : {},
      receivedAt: new Date(),
      subject:
        text.method === 'none'
          ? `${what} ${scan.filename} (${NEEDS_TRANSCRIPTION}: no readable text)`
          : `${what} ${scan.filename}`,
      bodyText: text.text,
      attachments: [{ ...attachment, contentType }],
      raw: { content: scan.content, contentType },
      ...(scan.scanId ? { channelMessageId: scan.scanId } : {}),
    });
    return { item, duplicate, textMethod: text.method };
  }
}
