/**
 * Scans for tests: PDFs made with pdfkit, one with a text layer (what a scanner with OCR or a
 * fax server writes) and one with only drawn marks (a bare image scan).
 *
 *   const letter = await pdfWithText('Liebes Christkind, ...');
 */
import PDFDocument from 'pdfkit';

function pdf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  draw(doc);
  doc.end();
  return done;
}

export const pdfWithText = (text: string) => pdf((doc) => doc.text(text));

/** Strokes only: no text layer, as a scanner without OCR writes. */
export const pdfWithoutText = () =>
  pdf((doc) => doc.moveTo(100, 100).lineTo(300, 120).lineTo(200, 300).stroke());

/** The 8-byte PNG signature and a header: enough to be taken for an image. */
export const PNG_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake image'),
]);
