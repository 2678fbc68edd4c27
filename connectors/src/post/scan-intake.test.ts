// The post and fax channels with real parts: PDFs made by pdfkit, text read by pdf-parse, scans
// rendered by Debian's Chromium and read by Debian's tesseract, uploads through Kontor's HTTP
// server by a signed-in user, and the hot folder on disk.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsersRepository } from '../../../engine/src/api/auth/users.repository.js';
import {
  startKontorHarness,
  type KontorHarness,
} from '../../../engine/src/testing/kontor-harness.js';
import { InboundItemRepository } from '../inbound/inbound-item.repository.js';
import { RecipientsRepository } from '../inbound/recipients.repository.js';
import { eventually, RECIPIENTS } from '../testing/intake-harness.js';
import {
  normalizedText,
  renderScans,
  SCANNED_LETTER,
  type RenderedScans,
} from '../testing/rendered-scans.js';
import { pdfWithText, pdfWithoutText, PNG_BYTES } from '../testing/scans.js';
import { requireTesseract } from '../testing/tesseract.js';
import { NotAScanError, tesseractOcr, textOfScan } from './scan-text.js';

const LETTER = [
  'Liebes Christkind,',
  'ich heiße Emil Braun, geboren am 02.02.2016.',
  'Ich wünsche mir ein Fahrrad und ein Buch.',
].join('\n');

let rendered: Promise<RenderedScans> | undefined;
/** rendered once, by the first test that needs it */
const scansOfTheLetter = () => (rendered ??= renderScans(SCANNED_LETTER.lines));

describe('textOfScan', () => {
  it("reads a PDF's text layer", async () => {
    const scan = await textOfScan(await pdfWithText(LETTER));
    expect(scan).toEqual({ kind: 'pdf', method: 'text-layer', text: LETTER });
  });

  it('says so when a scan has no readable text and no OCR is there', async () => {
    expect(await textOfScan(await pdfWithoutText(), { ocr: undefined })).toEqual({
      kind: 'pdf',
      method: 'none',
      text: '',
    });
    expect(await textOfScan(PNG_BYTES, { ocr: undefined })).toEqual({
      kind: 'png',
      method: 'none',
      text: '',
    });
  });

  it('refuses what is not a PDF or an image, and a PDF that cannot be read', async () => {
    await expect(textOfScan(Buffer.from('Dear Santa'))).rejects.toThrow(NotAScanError);
    await expect(textOfScan(Buffer.from('%PDF-1.4 broken beyond repair'))).rejects.toThrow(
      /The PDF cannot be read/,
    );
  });

  it('finds no OCR engine where the command is not installed', async () => {
    expect(await tesseractOcr('no-such-tesseract-here')).toBeUndefined();
  });
});

describe('post and fax in Kontor', () => {
  let kontor: KontorHarness;
  let dataDir: string;
  let hotFolder: string;
  let cookie: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-scans-'));
    hotFolder = path.join(dataDir, 'scans');
    kontor = await startKontorHarness({
      KONTOR_DATA_DIR: dataDir,
      KONTOR_INBOUND_HOT_FOLDER: hotFolder,
      KONTOR_INBOUND_MAX_ATTACHMENT_SIZE: '100000',
    });
    const recipients = new RecipientsRepository(kontor.database.pool);
    for (const recipient of RECIPIENTS) await recipients.save(recipient);
    await new UsersRepository(kontor.database.pool).create({
      username: 'mailroom',
      password: 'scans all day long',
      roles: ['caseworker'],
      candidateGroups: [],
    });
    const login = await fetch(`${kontor.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'mailroom', password: 'scans all day long' }),
    });
    cookie = login.headers.get('set-cookie')!.split(';')[0];
  });
  afterAll(async () => {
    await kontor?.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  const upload = (
    content: Buffer,
    query: string,
    contentType = 'application/pdf',
    withCookie = true,
  ) =>
    fetch(`${kontor.url}/api/intake/scans?${query}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(withCookie ? { cookie } : {}) },
      body: content,
    });
  /** The item an upload answered 201 for, and how its text was read. */
  const stored = async (res: Response) => {
    expect(res.status).toBe(201);
    const { reference, textMethod } = (await res.json()) as {
      reference: string;
      textMethod: string;
    };
    const item = await new InboundItemRepository(kontor.database.pool).byReference(reference);
    return { textMethod, item };
  };
  const itemCount = async () =>
    (await kontor.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_item'))
      .rows[0].n;

  describe('POST /api/intake/scans', () => {
    it('stores a scanned letter with its text layer as an inbound item of the post channel', async () => {
      // when
      const res = await upload(
        await pdfWithText(LETTER),
        'recipient=christkind&channel=post&filename=brief.pdf',
      );

      // then
      const { textMethod, item } = await stored(res);
      expect(textMethod).toBe('text-layer');
      expect(item).toMatchObject({
        channel: 'post',
        recipientId: 'christkind',
        subject: 'Letter brief.pdf',
        bodyText: LETTER,
        language: 'de',
        raw: { contentType: 'application/pdf' },
        attachments: [{ filename: 'brief.pdf', contentType: 'application/pdf' }],
      });
    });

    it('stores a fax without readable text, marked for transcription', async () => {
      // when
      const res = await upload(
        await pdfWithoutText(),
        'recipient=santa-claus&channel=fax&filename=fax-0042.pdf',
      );

      // then
      const { textMethod, item } = await stored(res);
      expect(textMethod).toBe('none');
      expect(item?.subject).toBe('Fax fax-0042.pdf (needs transcription: no readable text)');
      expect(item?.bodyText).toBe('');
    });

    it('stores a fax that is only an image with its text read by OCR, not marked for transcription', async () => {
      // given: Kontor found tesseract at its start, as in production
      await requireTesseract();
      const { imageOnlyPdf } = await scansOfTheLetter();

      // when
      const res = await upload(
        imageOnlyPdf,
        'recipient=santa-claus&channel=fax&filename=fax-0043.pdf',
      );

      // then
      const { textMethod, item } = await stored(res);
      expect(textMethod).toBe('ocr');
      expect(item).toMatchObject({
        channel: 'fax',
        recipientId: 'santa-claus',
        subject: 'Fax fax-0043.pdf',
        attachments: [{ filename: 'fax-0043.pdf', contentType: 'application/pdf' }],
      });
      for (const words of SCANNED_LETTER.words) {
        expect(normalizedText(item!.bodyText)).toContain(words);
      }
    });

    it('refuses a file that is not a PDF or an image with 415 and stores nothing', async () => {
      const before = await itemCount();
      const res = await upload(
        Buffer.from('Dear Santa, a bicycle please'),
        'recipient=christkind&channel=post&filename=brief.pdf',
      );
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ error: 'not_a_scan' });
      expect(await itemCount()).toBe(before);
    });

    it('refuses a scan over the attachment limit with 413', async () => {
      const res = await upload(
        Buffer.concat([PNG_BYTES, Buffer.alloc(100_001)]),
        'recipient=christkind&channel=post',
        'image/png',
      );
      expect(res.status).toBe(413);
    });

    it("keeps a fax's sending number from the fax server, and refuses one that is not a number", async () => {
      // when
      const res = await upload(
        await pdfWithText(LETTER),
        `recipient=christkind&channel=fax&filename=fax-0051.pdf&sender=${encodeURIComponent('+49 89 7654321')}`,
      );
      const bad = await upload(
        await pdfWithText(LETTER),
        'recipient=christkind&channel=fax&sender=anna%40example.org',
      );
      const forPost = await upload(
        await pdfWithText(LETTER),
        'recipient=christkind&channel=post&sender=%2B4989765432',
      );

      // then
      const { item } = await stored(res);
      expect(item?.sender).toEqual({ fax: '+49 89 7654321' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(
        /sender to be the fax number a fax came from .* got 'anna@example.org'/,
      );
      expect(forPost.status).toBe(400);
    });

    it('answers 401 without sign-in and 400 without a channel', async () => {
      expect(
        (await upload(PNG_BYTES, 'recipient=christkind&channel=post', 'image/png', false)).status,
      ).toBe(401);
      expect((await upload(PNG_BYTES, 'recipient=christkind', 'image/png')).status).toBe(400);
    });
  });

  describe('KONTOR_INBOUND_HOT_FOLDER', () => {
    /** Puts a file into the folder as a scanner would, written a while ago (settled). */
    const drop = async (dir: string, name: string, content: Buffer | string) => {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(path.join(dir, name), content);
      const old = new Date(Date.now() - 5_000);
      await fs.utimes(path.join(dir, name), old, old);
    };
    /** Waits until the folder moved a file to `file`. */
    const movedTo = (file: string) =>
      eventually(
        () =>
          fs.stat(file).then(
            () => true,
            () => false,
          ),
        15_000,
      );

    it('takes a scan from the folder, stores it and moves it to .done; a non-scan goes to .rejected with its reason', async () => {
      // given
      const dir = path.join(hotFolder, 'post', 'sinterklaas');
      await drop(
        dir,
        'brief-1.pdf',
        await pdfWithText('Lieve Sinterklaas, ik wil graag een fiets.'),
      );
      await drop(dir, 'notes.txt', 'not a scan');

      // then
      await movedTo(path.join(hotFolder, '.done', 'post', 'sinterklaas', 'brief-1.pdf'));
      const { rows } = await kontor.database.pool.query(
        `SELECT channel, recipient_id, body_text FROM inbound_item WHERE subject = 'Letter brief-1.pdf'`,
      );
      expect(rows).toEqual([
        {
          channel: 'post',
          recipient_id: 'sinterklaas',
          body_text: 'Lieve Sinterklaas, ik wil graag een fiets.',
        },
      ]);
      const rejected = path.join(hotFolder, '.rejected', 'post', 'sinterklaas', 'notes.txt');
      await movedTo(rejected);
      expect(await fs.readFile(`${rejected}.reason.txt`, 'utf8')).toMatch(/not a PDF or an image/);
      expect(await fs.readdir(dir)).toEqual([]);
    });

    it("takes a fax's sending number from the start of its file name", async () => {
      // given
      const name = '+4930123456_20261126-0915.pdf';
      await drop(path.join(hotFolder, 'fax', 'christkind'), name, await pdfWithText(LETTER));

      // then
      await movedTo(path.join(hotFolder, '.done', 'fax', 'christkind', name));
      const { rows } = await kontor.database.pool.query<{ sender_fax: string }>(
        'SELECT sender_fax FROM inbound_item WHERE subject = $1',
        [`Fax ${name}`],
      );
      expect(rows).toEqual([{ sender_fax: '+4930123456' }]);
    });

    it('reads an image from the folder by OCR and stores its text', async () => {
      // given
      await requireTesseract();
      await drop(
        path.join(hotFolder, 'post', 'christkind'),
        'wunschzettel.jpg',
        (await scansOfTheLetter()).jpeg,
      );

      // then
      await movedTo(path.join(hotFolder, '.done', 'post', 'christkind', 'wunschzettel.jpg'));
      const { rows } = await kontor.database.pool.query<{ reference: string }>(
        `SELECT reference FROM inbound_item WHERE subject = 'Letter wunschzettel.jpg'`,
      );
      expect(rows).toHaveLength(1);
      const item = await new InboundItemRepository(kontor.database.pool).byReference(
        rows[0].reference,
      );
      expect(item).toMatchObject({
        channel: 'post',
        recipientId: 'christkind',
        raw: { contentType: 'image/jpeg' },
      });
      for (const words of SCANNED_LETTER.words) {
        expect(normalizedText(item!.bodyText)).toContain(words);
      }
    });
  });
});
