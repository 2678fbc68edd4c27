// The extraction rules on wish lists as they arrive: a German letter by e-mail, an English one
// without a sender name, the web form's text, and a note the rules cannot read.
import { describe, expect, it } from 'vitest';
import { extractClaim } from './claim-extraction.js';

describe('extractClaim', () => {
  it('reads name, birth date, address in a sentence and bullet wishes from a German letter', () => {
    const { claim, complete } = extractClaim({
      sender: { name: 'Anna Müller', email: 'anna@example.org' },
      bodyText:
        'Liebes Christkind,\nich heiße Anna Müller und bin am 04.05.2017 geboren.\nIch wohne in der Hauptstraße 12, 80331 München.\nIch wünsche mir:\n- ein rotes Fahrrad\n- einen Malkasten\nDeine Anna',
    });
    expect(complete).toBe(true);
    expect(claim).toEqual({
      claimantName: 'Anna Müller',
      birthDate: '2017-05-04',
      street: 'Hauptstraße 12',
      postalCode: '80331',
      city: 'München',
      items: ['ein rotes Fahrrad', 'einen Malkasten'],
    });
  });

  it('ends a name from the text at the first word that is not capitalised', () => {
    const { claim } = extractClaim({
      sender: {},
      bodyText:
        'Anna Müller\nHauptstraße 12\n80331 München\nich heiße Anna Müller und bin am 04.05.2017 geboren.\nIch wünsche mir:\n- Rollschuhe',
    });
    expect(claim.claimantName).toBe('Anna Müller');
    expect(
      extractClaim({ sender: {}, bodyText: 'I am 7. My name is Tom van Dijk and I like trains.' })
        .claim.claimantName,
    ).toBe('Tom van Dijk');
  });

  it('reads the name from the text and the wishes from a sentence when there is no list', () => {
    const { claim, complete } = extractClaim({
      sender: { email: 'kid@example.org' },
      bodyText:
        'Dear Santa, my name is Emma Johnson, born 2016-12-24.\n12 Elm Street\nSW1A 1AA London\nI would like a bicycle, a paint box and a teddy.',
    });
    expect(complete).toBe(true);
    expect(claim).toMatchObject({
      claimantName: 'Emma Johnson',
      birthDate: '2016-12-24',
      street: '12 Elm Street',
      postalCode: 'SW1A 1AA',
      city: 'London',
      items: ['a bicycle', 'a paint box', 'a teddy'],
    });
  });

  it("takes the web form's address from the sender", () => {
    const { claim } = extractClaim({
      sender: { name: 'Jörg Weißmüller', address: 'Hauptstraße 12\n80331 München' },
      bodyText: 'Birth date: 2016-03-14\nWishes:\n- Lego Feuerwehr\n- Fußball',
    });
    expect(claim).toMatchObject({
      postalCode: '80331',
      street: 'Hauptstraße 12',
      birthDate: '2016-03-14',
    });
  });

  it('names what it could not find, for the person who completes the claim', () => {
    const { complete, missing } = extractClaim({
      sender: { email: 'someone@example.org' },
      bodyText: 'Hallo, ich möchte etwas.',
    });
    expect(complete).toBe(false);
    expect(missing).toEqual(['claimantName', 'items', 'postalCode or birthDate']);
  });

  it('ignores an impossible date', () => {
    const { claim } = extractClaim({
      sender: { name: 'Tim Weber' },
      bodyText: 'Ich bin am 31.02.2016 geboren. Ich wünsche mir einen Roller.',
    });
    expect(claim.birthDate).toBeUndefined();
    expect(claim.items).toEqual(['einen Roller']);
  });

  it('reads Dutch and British postal codes whole', () => {
    const dutch = extractClaim({
      sender: { name: 'Pieter de Vries' },
      bodyText: 'Kerkstraat 5\n1017 GC Amsterdam\nIk wil graag een fiets.',
    });
    expect(dutch.claim).toMatchObject({
      street: 'Kerkstraat 5',
      postalCode: '1017 GC',
      city: 'Amsterdam',
    });
  });

  it('reads a birth date written day first with dots, slashes or dashes', () => {
    const born = (line: string) =>
      extractClaim({ sender: { name: 'Lotte de Vries' }, bodyText: `${line}\nIk wil een fiets.` })
        .claim.birthDate;
    expect(born('geboren 01-06-2015')).toBe('2015-06-01');
    expect(born('née le 01/06/2015')).toBe('2015-06-01');
    expect(born('geboren am 1.6.2015')).toBe('2015-06-01');
    // mixed separators are no date
    expect(born('geboren 01-06.2015')).toBeUndefined();
  });
});
