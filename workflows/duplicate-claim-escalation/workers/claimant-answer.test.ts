import { createHash } from 'node:crypto';
import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import {
  composeAnswer,
  postalAddress,
  renderAnswerLetter,
  type AnswerInput,
} from './claimant-answer.js';
import { answerRoute, faxDigits, faxNumberOf } from './claimant-delivery.js';

const anAnswer = (overrides: Partial<AnswerInput> = {}): AnswerInput => ({
  outcome: 'reject',
  language: 'de',
  claimantName: 'Anna Müller',
  itemReference: 'IN-7K3Q-9XPA',
  statusToken: 'tok3n',
  senderName: 'Christkind',
  ...overrides,
});

const textOf = async (pdf: Buffer) => {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
};

const ANNA = { name: 'Anna Müller', lines: ['Hauptstraße 12', '80331 München'] };

describe('composeAnswer', () => {
  it('answers in German unless the item is English, with reference and status', () => {
    // when
    const german = composeAnswer(anAnswer());
    const english = composeAnswer(
      anAnswer({ language: 'en', publicUrl: 'https://wishes.example/' }),
    );

    // then
    expect(german.text).toBe(
      'Hallo Anna Müller,\n\ndiesen Wunschzettel hast du schon an eine andere Stelle geschickt; er wird dort bearbeitet, nicht noch einmal hier.\n\nDeine Vorgangsnummer: IN-7K3Q-9XPA\nStand jederzeit: IN-7K3Q-9XPA / tok3n\n\nChristkind',
    );
    expect(english.text).toContain('you already sent this wish list elsewhere');
    expect(english.statusLine).toBe(
      'Status at any time: https://wishes.example/#/status/IN-7K3Q-9XPA/tok3n',
    );
  });

  it('names the claim that stands for both after a merge, and answers an unknown outcome as accepted', () => {
    expect(composeAnswer(anAnswer({ outcome: 'merge', mergedInto: 'CL-AAAA-BBBB' })).decision).toBe(
      'dein Wunschzettel gehört zu einem, den du schon geschickt hast; wir haben beide zusammengeführt. Beide findest du jetzt unter CL-AAAA-BBBB.',
    );
    expect(composeAnswer(anAnswer({ outcome: 'whatever' })).outcome).toBe('accepted');
  });
});

describe('renderAnswerLetter', () => {
  it('renders a letter to the address with reference, decision and status, the same bytes for the same answer', async () => {
    // given
    const answer = composeAnswer(anAnswer());
    const date = new Date('2026-12-03T09:00:00Z');

    // when
    const pdf = await renderAnswerLetter(answer, ANNA, date);

    // then
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await textOf(pdf);
    expect(text).toContain('Anna Müller Hauptstraße 12 80331 München');
    expect(text).toContain('Deine Vorgangsnummer: IN-7K3Q-9XPA');
    expect(text).toContain('diesen Wunschzettel hast du schon an eine andere Stelle geschickt');
    expect(text).toContain('3. Dezember 2026');
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(await renderAnswerLetter(answer, ANNA, date))).toBe(sha(pdf));
  });

  it('writes names and addresses in any script', async () => {
    // given a claimant who wrote to Väterchen Frost, and one from Greece
    const ivan = { name: 'Иван Петров', lines: ['ул. Тверская 7', '125009 Москва'] };
    const ioanna = composeAnswer(anAnswer({ claimantName: 'Ιωάννα Παπαδοπούλου' }));

    // when
    const text = await textOf(await renderAnswerLetter(ioanna, ivan, new Date()));

    // then
    expect(text).toContain('Иван Петров ул. Тверская 7 125009 Москва');
    expect(text).toContain('Ιωάννα Παπαδοπούλου');
  });
});

describe('answerRoute', () => {
  const address = postalAddress({
    claimantName: 'Anna Müller',
    street: 'Hauptstraße 12',
    postalCode: '80331',
    city: 'München',
  });

  it('answers an e-mail by e-mail, referring to its Message-ID', () => {
    expect(
      answerRoute({ channel: 'email', email: 'anna@example.org', messageId: '<m1@x>' }),
    ).toEqual({
      means: 'email',
      to: 'anna@example.org',
      inReplyTo: '<m1@x>',
    });
  });

  it('answers a web form by e-mail when it gave an address, else on the status page', () => {
    expect(answerRoute({ channel: 'web', email: 'anna@example.org', address })).toMatchObject({
      means: 'email',
    });
    expect(answerRoute({ channel: 'web', address })).toEqual({ means: 'status-page' });
  });

  it('answers a letter by letter, a fax by fax, a fax without number by letter', () => {
    expect(answerRoute({ channel: 'post', address })).toEqual({ means: 'letter', address });
    expect(answerRoute({ channel: 'fax', faxNumber: '+49 89 1234-567', address })).toEqual({
      means: 'fax',
      number: '+49 89 1234-567',
      digits: '49891234567',
    });
    expect(answerRoute({ channel: 'fax', address })).toEqual({
      means: 'letter',
      address,
      why: 'no fax number is known',
    });
  });

  it('says why when there is no way to answer', () => {
    expect(answerRoute({ channel: 'post' })).toEqual({
      means: 'none',
      reason: 'no postal address is known for the letter',
    });
    expect(answerRoute({ channel: 'fax' })).toEqual({
      means: 'none',
      reason: 'neither a fax number nor a postal address is known',
    });
  });
});

describe('faxNumberOf', () => {
  it('takes the sender’s fax number, else a labelled number in the fax', () => {
    expect(faxNumberOf({ sender: { fax: '+43 1 234567' }, bodyText: 'Fax: 089 111111' })).toBe(
      '+43 1 234567',
    );
    expect(
      faxNumberOf({
        sender: {},
        bodyText: 'Familie Müller\nFax: +49 (89) 123 45-67\nLiebes Christkind',
      }),
    ).toBe('+49 (89) 123 45-67');
    expect(faxNumberOf({ sender: {}, bodyText: 'Telefax von 0049 30 987654' })).toBe(
      '0049 30 987654',
    );
    expect(
      faxNumberOf({ sender: {}, bodyText: 'Ich bin 7 Jahre alt, Tel. 089 1234' }),
    ).toBeUndefined();
    expect(faxDigits('0049 30 987654')).toBe('4930987654');
  });
});
