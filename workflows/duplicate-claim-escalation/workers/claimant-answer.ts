/**
 * The answer to a claimant, whatever the channel: the text per outcome (accepted by the office;
 * the escalation's reject, merge or allow) in the item's language (German or English), and the
 * same answer as a PDF letter (A4, the address where a window envelope shows it) for post and
 * fax. It only composes; sending is `claimant-delivery.ts`.
 *
 * The letter's bytes depend on its input only (the date included), so the same answer renders
 * to the same SHA-256.
 *
 *   const answer = composeAnswer({ outcome: 'reject', language: 'de', claimantName: 'Anna Müller',
 *     itemReference: 'IN-7K3Q-9XPA', statusToken: 'x2…', senderName: 'Christkind' });
 *   answer.text; // 'Hallo Anna Müller,\n\ndiesen Wunschzettel hast du schon …'
 *   const pdf = await renderAnswerLetter(answer, { name: 'Anna Müller', lines: ['Hauptstraße 12', '80331 München'] }, new Date());
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export type AnswerOutcome = 'accepted' | 'allow' | 'merge' | 'reject';
export type AnswerLanguage = 'de' | 'en';

export interface AnswerInput {
  /** the process's `outcome`; anything unknown is answered as accepted */
  readonly outcome: string;
  /** the inbound item's language; German unless it is English (or another we do not write) */
  readonly language?: string | null;
  readonly claimantName?: string | null;
  readonly itemReference: string;
  /** the item's status token (`ItemStatus.tokenFor`) */
  readonly statusToken: string;
  /** where claimants open the web app; without it the answer gives reference and token */
  readonly publicUrl?: string;
  /** who answers: the recipient's name */
  readonly senderName: string;
  /** for a merge: the reference of the claim that stands for both */
  readonly mergedInto?: string | null;
}

export interface ClaimantAnswer {
  readonly outcome: AnswerOutcome;
  readonly language: AnswerLanguage;
  readonly itemReference: string;
  readonly claimantName: string;
  readonly greeting: string;
  /** the decision, in words for the claimant */
  readonly decision: string;
  readonly referenceLine: string;
  readonly statusLine: string;
  readonly senderName: string;
  /** the letter's subject line */
  readonly subject: string;
  /** the whole answer as plain text (the e-mail body) */
  readonly text: string;
}

const DECISIONS: Record<AnswerOutcome, Record<AnswerLanguage, string>> = {
  accepted: {
    de: 'wir haben deinen Wunschzettel erhalten und bearbeiten ihn.',
    en: 'we received your wish list and are working on it.',
  },
  allow: {
    de: 'wir haben deinen Wunschzettel erhalten und bearbeiten ihn.',
    en: 'we received your wish list and are working on it.',
  },
  merge: {
    de: 'dein Wunschzettel gehört zu einem, den du schon geschickt hast; wir haben beide zusammengeführt.',
    en: 'your wish list belongs to one you sent before; we merged the two.',
  },
  reject: {
    de: 'diesen Wunschzettel hast du schon an eine andere Stelle geschickt; er wird dort bearbeitet, nicht noch einmal hier.',
    en: 'you already sent this wish list elsewhere; it is handled there and not a second time here.',
  },
};

const WORDS: Record<
  AnswerLanguage,
  {
    hello: string;
    reference: string;
    status: string;
    subject: string;
    mergedInto: string;
    date: string;
  }
> = {
  de: {
    hello: 'Hallo',
    reference: 'Deine Vorgangsnummer',
    status: 'Stand jederzeit',
    subject: 'Dein Wunschzettel',
    mergedInto: 'Beide findest du jetzt unter',
    date: 'de-DE',
  },
  en: {
    hello: 'Hello',
    reference: 'Your reference',
    status: 'Status at any time',
    subject: 'Your wish list',
    mergedInto: 'You find both under',
    date: 'en-GB',
  },
};

export const answerLanguage = (language: string | null | undefined): AnswerLanguage =>
  language === 'en' ? 'en' : 'de';

const isOutcome = (value: string): value is AnswerOutcome => value in DECISIONS;

export function composeAnswer(input: AnswerInput): ClaimantAnswer {
  const language = answerLanguage(input.language);
  const outcome = isOutcome(input.outcome) ? input.outcome : 'accepted';
  const words = WORDS[language];
  const decision =
    outcome === 'merge' && input.mergedInto
      ? `${DECISIONS.merge[language]} ${words.mergedInto} ${input.mergedInto}.`
      : DECISIONS[outcome][language];
  const link = input.publicUrl
    ? `${input.publicUrl.replace(/\/$/, '')}/#/status/${input.itemReference}/${input.statusToken}`
    : `${input.itemReference} / ${input.statusToken}`;
  const greeting = `${words.hello} ${input.claimantName ?? ''},`;
  const referenceLine = `${words.reference}: ${input.itemReference}`;
  const statusLine = `${words.status}: ${link}`;
  return {
    outcome,
    language,
    itemReference: input.itemReference,
    claimantName: input.claimantName ?? '',
    greeting,
    decision,
    referenceLine,
    statusLine,
    senderName: input.senderName,
    subject: `${words.subject} – ${input.itemReference}`,
    text: `${greeting}\n\n${decision}\n\n${referenceLine}\n${statusLine}\n\n${input.senderName}`,
  };
}

export interface LetterAddress {
  readonly name: string;
  /** street, postal code and city, … */
  readonly lines: readonly string[];
}

/** The postal address of a claim, when it has street, postal code and city; else undefined. */
export function postalAddress(claim: {
  claimantName?: string | null;
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
}): LetterAddress | undefined {
  if (!claim.street || !claim.postalCode || !claim.city) return undefined;
  return {
    name: claim.claimantName ?? '',
    lines: [claim.street, `${claim.postalCode} ${claim.city}`],
  };
}

// DIN 5008 form B in points (1 mm = 2.835 pt): address field 45 mm from the top, 20 mm from
// the left, where a window envelope shows it.
const MM = 72 / 25.4;

// DejaVu Sans (shipped as an npm package, embedded in the PDF): the PDF base fonts cover
// Western European letters only, and claimants write from everywhere (Иван, Zoë, Łukasz, Ιωάννα).
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** The answer as an A4 letter (PDF), addressed to `to`, dated `date`. */
export function renderAnswerLetter(
  answer: ClaimantAnswer,
  to: LetterAddress,
  date: Date,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 27 * MM, left: 25 * MM, right: 20 * MM, bottom: 20 * MM },
    info: {
      Title: answer.subject,
      Author: answer.senderName,
      Subject: answer.referenceLine,
      CreationDate: date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = 25 * MM;
  const width = doc.page.width - left - 20 * MM;
  doc.registerFont('Body', FONT);
  doc.registerFont('Body-Bold', FONT_BOLD);
  doc
    .font('Body')
    .fontSize(8)
    .text(answer.senderName, left, 45 * MM);
  doc.fontSize(11).text([to.name, ...to.lines].filter(Boolean).join('\n'), left, 45 * MM + 14, {
    width: 80 * MM,
  });
  doc.text(
    date.toLocaleDateString(WORDS[answer.language].date, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    }),
    left,
    98 * MM,
    { width, align: 'right' },
  );
  doc.font('Body-Bold').text(answer.subject, left, 108 * MM, { width });
  doc.moveDown(1.5).font('Body').text(answer.greeting, { width });
  doc.moveDown().text(answer.decision, { width });
  doc.moveDown().text(answer.referenceLine, { width });
  doc.text(answer.statusLine, { width });
  doc.moveDown(2).text(answer.senderName, { width });
  doc.end();
  return done;
}
