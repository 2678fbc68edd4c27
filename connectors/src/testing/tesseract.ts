/**
 * Debian's tesseract for OCR tests. CI installs it (`.ci/run`), so a test that needs it fails
 * with what to install instead of being skipped.
 *
 *   const ocr = await requireTesseract();
 *   await textOfScan(scan, { ocr });
 */
import { tesseractOcr, type OcrEngine } from '../post/scan-text.js';

export const TESSERACT_PACKAGES = 'tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng';

export async function requireTesseract(): Promise<OcrEngine> {
  const ocr = await tesseractOcr();
  if (!ocr) {
    throw new Error(
      'OCR tests need the tesseract command with German and English language data ' +
        `(tesseract --list-langs shows deu and eng): apt-get install -y ${TESSERACT_PACKAGES}`,
    );
  }
  return ocr;
}
