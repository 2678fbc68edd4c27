/**
 * The text of a scanned letter or fax: the PDF's text layer when it has one; otherwise OCR with
 * Debian's `tesseract` (German and English) when it is installed; otherwise no text, and the
 * item says so (`method: 'none'`) so that a person transcribes it — never a silently empty item.
 * Content that is neither a PDF nor an image is refused with `NotAScanError`.
 *
 *   const { text, method } = await textOfScan(bytes, { ocr: await tesseractOcr() });
 */
import { spawn } from 'node:child_process';
import { PDFParse } from 'pdf-parse';

export type ScanKind = 'pdf' | 'png' | 'jpeg' | 'tiff';

export interface ScanText {
  readonly kind: ScanKind;
  readonly text: string;
  /** where the text came from; 'none': nothing readable, a person must transcribe it */
  readonly method: 'text-layer' | 'ocr' | 'none';
}

/** Reads the text of an image (PNG, JPEG or TIFF bytes). */
export type OcrEngine = (image: Buffer) => Promise<string>;

/** Thrown when content is not a PDF or an image, or a PDF that cannot be read. */
export class NotAScanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAScanError';
  }
}

export function scanKind(content: Buffer): ScanKind | undefined {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (
    content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return 'png';
  }
  if (content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'jpeg';
  const tiff = content.subarray(0, 4).toString('latin1');
  if (tiff === 'II*\0' || tiff === 'MM\0*') return 'tiff';
  return undefined;
}

export const CONTENT_TYPES: Record<ScanKind, string> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
};

/** Enough letters to call it text, not stray marks. */
const readable = (text: string) => (text.match(/\p{L}/gu)?.length ?? 0) >= 3;

export async function textOfScan(
  content: Buffer,
  options: { ocr?: OcrEngine } = {},
): Promise<ScanText> {
  const kind = scanKind(content);
  if (!kind) {
    throw new NotAScanError(
      'The content is not a PDF or an image (PNG, JPEG, TIFF): expected a scanned letter or fax',
    );
  }
  if (kind !== 'pdf') {
    const text = options.ocr ? (await options.ocr(content)).trim() : '';
    return { kind, text, method: readable(text) ? 'ocr' : 'none' };
  }
  const parser = new PDFParse({ data: new Uint8Array(content) });
  try {
    let text: string;
    try {
      text = (await parser.getText()).text.replace(/\n*-- \d+ of \d+ --\n*/g, '\n').trim();
    } catch (error) {
      throw new NotAScanError(
        `The PDF cannot be read (${(error as Error).message}): expected a scanned letter or fax`,
      );
    }
    if (readable(text)) return { kind, text, method: 'text-layer' };
    if (!options.ocr) return { kind, text: '', method: 'none' };
    const pages = await parser.getScreenshot({ scale: 2 });
    const ocrText = (
      await Promise.all(pages.pages.map((page) => options.ocr!(Buffer.from(page.data))))
    )
      .join('\n')
      .trim();
    return { kind, text: ocrText, method: readable(ocrText) ? 'ocr' : 'none' };
  } finally {
    await parser.destroy();
  }
}

/** Debian: tesseract-ocr-deu, tesseract-ocr-eng */
const OCR_LANGUAGES = ['deu', 'eng'];

/**
 * OCR with the `tesseract` command (German and English), or undefined when it is not installed
 * or lacks either language's data: then every scan would fail instead of going to transcription.
 */
export async function tesseractOcr(command = 'tesseract'): Promise<OcrEngine | undefined> {
  const languages = await run(command, ['--list-langs'], Buffer.alloc(0)).then(
    (out) => out.split('\n').map((line) => line.trim()),
    (): string[] => [],
  );
  if (!OCR_LANGUAGES.every((language) => languages.includes(language))) return undefined;
  return async (image) => run(command, ['stdin', 'stdout', '-l', OCR_LANGUAGES.join('+')], image);
}

function run(command: string, args: string[], input: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString('utf8'))
        : reject(new Error(`${command} exited with ${code}`)),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
