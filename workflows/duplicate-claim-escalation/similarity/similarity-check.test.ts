// The similarity check against claims in a real PostgreSQL with pg_trgm: the kinds of
// duplicates it must find and the look-alikes it must leave alone.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../../engine/src/testing/test-database.js';
import type { NewClaim } from './claim.js';
import { ClaimsRepository } from './claims.repository.js';
import { SimilarityCheck } from './similarity-check.js';

let db: TestDatabase;
let claims: ClaimsRepository;
let check: SimilarityCheck;

beforeAll(async () => {
  db = await createTestDatabase();
  claims = new ClaimsRepository(db.pool);
  check = new SimilarityCheck(db.pool);
});
afterAll(() => db?.drop());
// with the decisions and merges that refer to claims
beforeEach(() => db.pool.query('TRUNCATE claim CASCADE'));

/** Anna Müller's wish list to the Christkind; override what the test is about. */
const aClaim = (overrides: Partial<NewClaim> = {}): NewClaim => ({
  recipientId: 'christkind',
  channel: 'email',
  claimantName: 'Anna Müller',
  birthDate: '2017-05-04',
  street: 'Hauptstraße 12',
  postalCode: '80331',
  city: 'München',
  items: ['ein rotes Fahrrad', 'Puppenhaus', 'Malkasten'],
  ...overrides,
});

describe('pg_trgm', () => {
  it('is installed by the migrations', async () => {
    const { rows } = await db.pool.query(`SELECT similarity('anna muller', 'ana muler') AS s`);
    expect(rows[0].s).toBeGreaterThan(0.3);
  });
});

describe('finds the same person claiming the same things', () => {
  it('across recipients, with umlauts transliterated, names swapped and the street abbreviated', async () => {
    // given
    const earlier = await claims.insert(aClaim());

    // when
    const result = await check.run(
      aClaim({
        recipientId: 'santa-claus',
        channel: 'web',
        claimantName: 'Mueller, Anna',
        street: 'Hauptstr. 12',
        items: ['Fahrrad (rot)', 'Malkasten', 'Teddy'],
      }),
    );

    // then
    expect(result.duplicate).toBe(true);
    expect(result.matches).toHaveLength(1);
    const [match] = result.matches;
    expect(match.claim.reference).toBe(earlier.reference);
    expect(match.material).toBe(true);
    expect(match.score).toBeGreaterThan(0.8);
    expect(match.reasons).toEqual([
      "same name in another order ('Mueller, Anna' / 'Anna Müller')",
      'same birth date 2017-05-04',
      "same address written differently ('Hauptstr. 12' / 'Hauptstraße 12')",
      '2 of 3 wishes recur',
    ]);
    expect(match.overlappingItems).toEqual([
      ['Fahrrad (rot)', 'ein rotes Fahrrad'],
      ['Malkasten', 'Malkasten'],
    ]);
  });

  it('with a typo in the name and no birth date the second time', async () => {
    // given
    await claims.insert(aClaim());

    // when
    const result = await check.run(aClaim({ claimantName: 'Anna Mülelr', birthDate: undefined }));

    // then
    expect(result.duplicate).toBe(true);
    expect(result.matches[0].reasons[0]).toBe("similar name ('Anna Mülelr' / 'Anna Müller', 86 %)");
  });

  it('after a move, by name and birth date', async () => {
    // given
    await claims.insert(aClaim());

    // when
    const result = await check.run(
      aClaim({ street: 'Lindenweg 3', postalCode: '10115', city: 'Berlin' }),
    );

    // then
    expect(result.duplicate).toBe(true);
  });

  it('in Cyrillic and Latin letters', async () => {
    // given
    await claims.insert(
      aClaim({
        claimantName: 'Иван Петров',
        street: 'Tverskaya 7',
        postalCode: '125009',
        items: ['Schlitten', 'Lego'],
      }),
    );

    // when
    const result = await check.run(
      aClaim({
        claimantName: 'Ivan Petrov',
        street: 'Tverskaya 7',
        postalCode: '125009',
        items: ['Lego', 'Schlitten'],
      }),
    );

    // then
    expect(result.duplicate).toBe(true);
  });

  it('by the name alone when neither postal code nor birth date is known, at the same address', async () => {
    // given
    await claims.insert(aClaim({ postalCode: undefined, birthDate: undefined }));

    // when
    const found = await check.run(aClaim({ postalCode: undefined, birthDate: undefined }));

    // then the name is found through the trigram index, but without a postal code the
    // address cannot be confirmed: the same name alone is not enough
    expect(found.duplicate).toBe(false);
  });
});

describe('leaves look-alikes alone', () => {
  it('a sibling at the same address with the same wishes', async () => {
    // given
    await claims.insert(aClaim());

    // when
    const result = await check.run(
      aClaim({ claimantName: 'Lena Müller', birthDate: '2019-01-20' }),
    );

    // then
    expect(result.matches).toEqual([]);
  });

  it('a twin: same address, same birth date, another first name', async () => {
    // given
    await claims.insert(aClaim());

    // when
    const result = await check.run(aClaim({ claimantName: 'Jonas Müller' }));

    // then
    expect(result.matches).toEqual([]);
  });

  it('a namesake elsewhere with another birth date', async () => {
    // given
    await claims.insert(aClaim());

    // when
    const result = await check.run(
      aClaim({ birthDate: '2015-11-30', street: 'Gartenstraße 4', postalCode: '80331' }),
    );

    // then
    expect(result.matches).toEqual([]);
  });

  it('reports the same person with other wishes, but not as a duplicate claim', async () => {
    // given
    const earlier = await claims.insert(aClaim());

    // when
    const result = await check.run(aClaim({ items: ['Schlittschuhe', 'Buch über Pferde'] }));

    // then
    expect(result.duplicate).toBe(false);
    expect(result.matches).toHaveLength(1);
    expect(result.matches[0]).toMatchObject({ material: false, claim: { id: earlier.id } });
    expect(result.matches[0].reasons).toContain('no wish recurs');
  });

  it('a stored claim does not match itself', async () => {
    // given
    const stored = await claims.insert(aClaim());

    // when
    const result = await check.run(stored, { excludeId: stored.id });

    // then
    expect(result.matches).toEqual([]);
  });

  it('puts the claim that stands first: open before rejected, the earlier of equal matches', async () => {
    // given the same list three times: the first rejected, the second and third open
    const rejected = await claims.insert(aClaim({ submittedAt: new Date('2026-12-01T08:00:00Z') }));
    await db.pool.query(`UPDATE claim SET status = 'rejected' WHERE id = $1`, [rejected.id]);
    const earlier = await claims.insert(aClaim({ submittedAt: new Date('2026-12-02T08:00:00Z') }));
    const later = await claims.insert(aClaim({ submittedAt: new Date('2026-12-03T08:00:00Z') }));

    // when
    const result = await check.run(aClaim({ recipientId: 'sinterklaas' }));

    // then
    expect(result.matches.map((m) => [m.claim.id, m.claim.status])).toEqual([
      [earlier.id, 'open'],
      [later.id, 'open'],
      [rejected.id, 'rejected'],
    ]);
  });
});
