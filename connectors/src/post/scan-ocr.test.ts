// OCR with real parts: a letter rendered by Debian's Chromium as PNG, JPEG and an image-only PDF,
// read by Debian's tesseract (German and English).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  normalizedText,
  renderScans,
  SCANNED_LETTER,
  type RenderedScans,
} from '../testing/rendered-scans.js';
import { pdfWithoutText } from '../testing/scans.js';
import { requireTesseract } from '../testing/tesseract.js';
import { textOfScan, type OcrEngine } from './scan-text.js';

const expectTheLetter = (text: string) => {
  for (const words of SCANNED_LETTER.words) expect(normalizedText(text)).toContain(words);
};

describe('textOfScan with tesseract', () => {
  let ocr: OcrEngine;
  let scans: RenderedScans;

  beforeAll(async () => {
    ocr = await requireTesseract();
    scans = await renderScans(SCANNED_LETTER.lines);
  });

  it('reads a PNG scan', async () => {
    const scan = await textOfScan(scans.png, { ocr });
    expect(scan).toMatchObject({ kind: 'png', method: 'ocr' });
    expectTheLetter(scan.text);
  });

  it('reads a JPEG scan', async () => {
    const scan = await textOfScan(scans.jpeg, { ocr });
    expect(scan).toMatchObject({ kind: 'jpeg', method: 'ocr' });
    expectTheLetter(scan.text);
  });

  it('reads a PDF without a text layer from its rendered pages', async () => {
    // given: the PDF shows only the image, there is no text layer to read
    expect(await textOfScan(scans.imageOnlyPdf, { ocr: undefined })).toEqual({
      kind: 'pdf',
      method: 'none',
      text: '',
    });

    // when
    const scan = await textOfScan(scans.imageOnlyPdf, { ocr });

    // then
    expect(scan).toMatchObject({ kind: 'pdf', method: 'ocr' });
    expectTheLetter(scan.text);
  });

  it('still says so when OCR finds nothing readable in a scan', async () => {
    // strokes only: OCR runs over the rendered page and finds no letters
    expect(await textOfScan(await pdfWithoutText(), { ocr })).toMatchObject({
      kind: 'pdf',
      method: 'none',
    });
  });
});
