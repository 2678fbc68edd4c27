/**
 * Scans with known text for OCR tests: the lines rendered by Debian's Chromium (through
 * `playwright-core`, as the browser tests do) and saved as a PNG and a JPEG, and an image-only
 * PDF (a page that shows nothing but that PNG, so it has no text layer, as a scanner without OCR
 * writes).
 *
 *   const scans = await renderScans(SCANNED_LETTER.lines);
 *   await textOfScan(scans.imageOnlyPdf, { ocr: await requireTesseract() });
 */
import { launchBrowser } from '../../../engine/src/testing/browser.js';

/** A wish list in German with an English line; `words` are what OCR must find in it. */
export const SCANNED_LETTER = {
  lines: [
    'Liebes Christkind,',
    'ich heiße Jörg Müller und bin sieben Jahre alt.',
    'Ich wünsche mir ein rotes Fahrrad und ein Puzzle.',
    'Dear Santa, please bring my sister a blue kite.',
  ],
  words: ['christkind', 'jörg müller', 'wünsche mir ein rotes fahrrad', 'dear santa', 'blue kite'],
} as const;

/** Lower case, one space between words: OCR's line breaks and case are not what is tested. */
export const normalizedText = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();

export interface RenderedScans {
  readonly png: Buffer;
  readonly jpeg: Buffer;
  readonly imageOnlyPdf: Buffer;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function renderScans(lines: readonly string[]): Promise<RenderedScans> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 200 } });
    await page.setContent(
      `<!doctype html><html lang="de"><body style="margin:0;padding:40px;background:#fff;` +
        `color:#000;font:32px/1.5 sans-serif">` +
        lines.map((line) => `<div>${escapeHtml(line)}</div>`).join('') +
        `</body></html>`,
    );
    const png = await page.screenshot({ type: 'png', fullPage: true });
    const jpeg = await page.screenshot({ type: 'jpeg', quality: 90, fullPage: true });
    // setContent waits for the load event, so the image is decoded before printing
    await page.setContent(
      `<!doctype html><html><body style="margin:0">` +
        `<img style="width:100%" src="data:image/png;base64,${png.toString('base64')}">` +
        `</body></html>`,
    );
    const imageOnlyPdf = await page.pdf({ format: 'A4' });
    return { png, jpeg, imageOnlyPdf };
  } finally {
    await browser.close();
  }
}
