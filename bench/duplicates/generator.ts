/**
 * The labelled data set of bench:duplicates: children in households (siblings share surname and
 * address), names and wishes drawn with Zipf weights (so namesakes and popular wishes are
 * common), each child's wish list as a claim to one of the recipients, some children's lists
 * sent a second time in another spelling to another recipient (stored duplicates), and probe
 * claims whose right answer is known:
 * - `duplicate`: a child's list again, varied the ways people vary it (umlauts transliterated or
 *   dropped, Cyrillic written in Latin letters, names swapped, one typo, street abbreviated or
 *   spelled otherwise, house number spaced, birth date left out, moved house but birth date
 *   given, wishes reordered, partly kept, with articles, colours or a typo);
 * - `sibling`: a new child in an existing household (same surname and address, some twins with
 *   the same birth date), often with the same wishes as a sibling;
 * - `namesake`: someone with exactly the name of an existing child, elsewhere, with its wishes;
 * - `other-wishes`: an existing child again, with none of the earlier wishes;
 * - `new`: a child nobody saw before.
 * A stored claim is a true match of a probe when it is the same child AND at least half of the
 * smaller wish list is the same wishes (by the generator's own wish ids, not by spelling).
 * Everything is deterministic for a seed.
 */
import {
  CITIES,
  FIRST_NAMES,
  RARE_SURNAMES,
  RUSSIAN_FIRST_NAMES,
  RUSSIAN_SURNAMES,
  STREETS,
  SURNAMES,
  WISH_ADJECTIVES,
  WISH_NOUNS,
} from './vocabulary.js';

export const RECIPIENTS = [
  'santa-claus',
  'christkind',
  'weihnachtsmann',
  'sinterklaas',
  'pere-noel',
  'vaeterchen-frost',
  'nikolaus',
];
const CHANNELS = ['email', 'web', 'post', 'fax'];

/** mulberry32: small, fast, good enough for test data */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function zipf(n: number, s: number): Float64Array {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += 1 / (i + 1) ** s;
    cumulative[i] = sum;
  }
  for (let i = 0; i < n; i++) cumulative[i] /= sum;
  return cumulative;
}

function draw(cumulative: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A claim as written, with the generator's truth beside it. */
export interface GeneratedClaim {
  readonly reference: string;
  readonly recipientId: string;
  readonly channel: string;
  readonly claimantName: string;
  readonly birthDate?: string;
  readonly street: string;
  readonly postalCode: string;
  readonly city: string;
  readonly items: string[];
  /** truth: the child */
  readonly person: number;
  /** truth: the wishes' ids */
  readonly wishIds: number[];
}

export type ProbeKind = 'duplicate' | 'sibling' | 'namesake' | 'other-wishes' | 'new';

export interface Probe {
  readonly kind: ProbeKind;
  readonly claim: GeneratedClaim;
  /** numbers of the stored claims that are true matches */
  readonly truth: number[];
}

/** all surnames: the common ones first, then the long tail */
const ALL_SURNAMES = [...SURNAMES, ...RARE_SURNAMES];
// Exponents chosen so that the commonest first name is about 5 % of children and the commonest
// surname about 2 % (Germany: Müller about 0.3–0.7 %): harder than life, on purpose.
const FIRST = zipf(FIRST_NAMES.length, 0.6);
const SUR = zipf(ALL_SURNAMES.length, 0.6);
const CITY = zipf(CITIES.length, 1.0);
const WISH = zipf(WISH_NOUNS.length, 0.9);
const DAY0 = Date.UTC(2008, 0, 1);
const DAYS = 14 * 365;
const POSTAL_CODES = 8_000;

const isoDay = (day: number) => new Date(DAY0 + day * 86_400_000).toISOString().slice(0, 10);

export class ClaimGenerator {
  private readonly random: () => number;
  // households
  private readonly hhPostal: number[] = [];
  private readonly hhStreet: number[] = [];
  private readonly hhNumber: string[] = [];
  /** >= 0: SURNAMES index; < 0: RUSSIAN_SURNAMES index -1 - i */
  private readonly hhSurname: number[] = [];
  private readonly hhCyrillic: boolean[] = [];
  private readonly hhChildren: number[][] = [];
  // children
  private readonly pHousehold: number[] = [];
  /** >= 0: FIRST_NAMES index; < 0: RUSSIAN_FIRST_NAMES index -1 - i */
  private readonly pFirst: number[] = [];
  private readonly pBirth: number[] = [];
  private readonly pClaims: number[][] = [];
  // stored claims: the truth
  readonly claimPerson: number[] = [];
  readonly claimWishes: number[][] = [];
  private readonly claimHasBirth: boolean[] = [];
  private readonly postal: string[] = [];
  private readonly postalCity: number[] = [];
  private stored = 0;

  constructor(seed: number) {
    this.random = rng(seed);
    const used = new Set<string>();
    while (this.postal.length < POSTAL_CODES) {
      const code = String(10_000 + Math.floor(this.random() * 89_999));
      if (used.has(code)) continue;
      used.add(code);
      this.postal.push(code);
      this.postalCity.push(draw(CITY, this.random()));
    }
  }

  get storedCount(): number {
    return this.stored;
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)];
  }

  private newHousehold(): number {
    const russian = this.random() < 0.03;
    const h = this.hhPostal.length;
    this.hhPostal.push(Math.floor(this.random() * POSTAL_CODES));
    this.hhStreet.push(Math.floor(this.random() * STREETS.length));
    const n = 1 + Math.floor(this.random() ** 2 * 120);
    this.hhNumber.push(this.random() < 0.08 ? `${n}${this.pick(['a', 'b', 'c'])}` : String(n));
    this.hhSurname.push(
      russian ? -1 - Math.floor(this.random() * RUSSIAN_SURNAMES.length) : draw(SUR, this.random()),
    );
    this.hhCyrillic.push(russian && this.random() < 0.5);
    this.hhChildren.push([]);
    return h;
  }

  private newChild(h: number, twinOf?: number): number {
    const p = this.pFirst.length;
    const russian = this.hhSurname[h] < 0;
    const taken = new Set(this.hhChildren[h].map((c) => this.pFirst[c]));
    let first: number;
    do {
      first = russian
        ? -1 - Math.floor(this.random() * RUSSIAN_FIRST_NAMES.length)
        : draw(FIRST, this.random());
    } while (taken.has(first));
    let birth: number;
    if (twinOf !== undefined) birth = this.pBirth[twinOf];
    else {
      const siblings = this.hhChildren[h].map((c) => this.pBirth[c]);
      do birth = Math.floor(this.random() * DAYS);
      while (siblings.some((b) => Math.abs(b - birth) < 300));
    }
    this.pHousehold.push(h);
    this.pFirst.push(first);
    this.pBirth.push(birth);
    this.pClaims.push([]);
    this.hhChildren[h].push(p);
    return p;
  }

  private wishes(count: number, avoid: Set<number> = new Set(), keep: number[] = []): number[] {
    const result = new Set<number>(keep);
    while (result.size < count) {
      const w = draw(WISH, this.random());
      if (!avoid.has(w)) result.add(w);
    }
    return [...result];
  }

  private nameOf(p: number, cyrillic: boolean): { first: string; surname: string } {
    const h = this.pHousehold[p];
    const f = this.pFirst[p];
    const s = this.hhSurname[h];
    return {
      first: f >= 0 ? FIRST_NAMES[f] : RUSSIAN_FIRST_NAMES[-1 - f][cyrillic ? 0 : 1],
      surname: s >= 0 ? ALL_SURNAMES[s] : RUSSIAN_SURNAMES[-1 - s][cyrillic ? 0 : 1],
    };
  }

  /** A child's claim as first written: the plain spelling. */
  private plainClaim(p: number, wishIds: number[], withBirth: boolean): GeneratedClaim {
    const h = this.pHousehold[p];
    const { first, surname } = this.nameOf(p, this.hhCyrillic[h]);
    return {
      reference: '',
      recipientId: this.pick(RECIPIENTS),
      channel: this.pick(CHANNELS),
      claimantName: `${first} ${surname}`,
      ...(withBirth ? { birthDate: isoDay(this.pBirth[p]) } : {}),
      street: `${STREETS[this.hhStreet[h]]} ${this.hhNumber[h]}`,
      postalCode: this.postal[this.hhPostal[h]],
      city: CITIES[this.postalCity[this.hhPostal[h]]],
      items: wishIds.map((w) => WISH_NOUNS[w]),
      person: p,
      wishIds,
    };
  }

  private store(claim: GeneratedClaim): GeneratedClaim {
    const n = this.stored++;
    this.claimPerson.push(claim.person);
    this.claimWishes.push(claim.wishIds);
    this.claimHasBirth.push(claim.birthDate !== undefined);
    this.pClaims[claim.person].push(n);
    return { ...claim, reference: `B-${n}` };
  }

  /**
   * The stored claims, `count` of them, in batches: households of one to three children, each
   * child's list, and for `storedDuplicateShare` of the children a varied second list.
   */
  *storedClaims(count: number, storedDuplicateShare = 0.04): Generator<GeneratedClaim> {
    while (this.stored < count) {
      const h = this.newHousehold();
      const size = 1 + draw(Float64Array.from([0.45, 0.8, 1]), this.random());
      for (let i = 0; i < size && this.stored < count; i++) {
        const twin = i > 0 && this.random() < 0.02 ? this.hhChildren[h][0] : undefined;
        const p = this.newChild(h, twin);
        const withBirth = this.random() < 0.8;
        const base = this.plainClaim(p, this.wishes(2 + Math.floor(this.random() * 4)), withBirth);
        yield this.store(base);
        if (this.stored < count && this.random() < storedDuplicateShare) {
          yield this.store(this.vary(base));
        }
      }
    }
  }

  /** `count` probes with their truth, after the stored claims were generated. */
  probes(count: number): Probe[] {
    const kinds: [ProbeKind, number][] = [
      ['duplicate', 0.4],
      ['sibling', 0.15],
      ['namesake', 0.15],
      ['other-wishes', 0.15],
      ['new', 0.15],
    ];
    const withClaims = this.pClaims.flatMap((claims, p) => (claims.length > 0 ? [p] : []));
    const probes: Probe[] = [];
    for (let i = 0; i < count; i++) {
      let r = this.random();
      const kind = kinds.find(([, share]) => (r -= share) < 0)?.[0] ?? 'new';
      const p = withClaims[Math.floor(this.random() * withClaims.length)];
      const base = this.baseClaimOf(p);
      let claim: GeneratedClaim;
      if (kind === 'duplicate') claim = this.vary(base);
      else if (kind === 'other-wishes') {
        const avoid = new Set(this.pClaims[p].flatMap((c) => this.claimWishes[c]));
        claim = { ...base, recipientId: this.pick(RECIPIENTS), items: [], wishIds: [] };
        const wishIds = this.wishes(2 + Math.floor(this.random() * 3), avoid);
        claim = { ...claim, wishIds, items: wishIds.map((w) => WISH_NOUNS[w]) };
      } else if (kind === 'sibling') {
        const h = this.pHousehold[p];
        const twin = this.random() < 0.15 ? p : undefined;
        const sibling = this.newChild(h, twin);
        const shared =
          this.random() < 0.5 ? base.wishIds.slice(0, Math.ceil(base.wishIds.length / 2)) : [];
        const wishIds = this.wishes(
          Math.max(shared.length, 2 + Math.floor(this.random() * 3)),
          new Set(),
          shared,
        );
        claim = this.plainClaim(sibling, wishIds, this.random() < 0.8);
      } else if (kind === 'namesake') {
        const h = this.newHousehold();
        this.hhSurname[h] = this.hhSurname[this.pHousehold[p]];
        this.hhCyrillic[h] = this.hhCyrillic[this.pHousehold[p]];
        const other = this.newChild(h);
        this.pFirst[other] = this.pFirst[p];
        const wishIds = this.wishes(
          base.wishIds.length,
          new Set(),
          base.wishIds.slice(0, Math.ceil(base.wishIds.length / 2)),
        );
        claim = this.plainClaim(other, wishIds, this.random() < 0.8);
      } else {
        const other = this.newChild(this.newHousehold());
        claim = this.plainClaim(
          other,
          this.wishes(2 + Math.floor(this.random() * 4)),
          this.random() < 0.8,
        );
      }
      const truth = (this.pClaims[claim.person] ?? []).filter((c) =>
        material(claim.wishIds, this.claimWishes[c]),
      );
      probes.push({ kind, claim: { ...claim, reference: `P-${i}` }, truth });
    }
    return probes;
  }

  /** A child's first stored claim as it was written. */
  private baseClaimOf(p: number): GeneratedClaim {
    const first = this.pClaims[p][0];
    return this.plainClaim(p, this.claimWishes[first], this.claimHasBirth[first]);
  }

  /** The same child's list again, written the way people vary it. */
  vary(base: GeneratedClaim): GeneratedClaim {
    const p = base.person;
    const h = this.pHousehold[p];
    const r = this.random;
    let { first, surname } = this.nameOf(p, this.hhCyrillic[h] && r() < 0.5);
    let street = base.street;
    let postalCode = base.postalCode;
    let city = base.city;
    let birthDate = base.birthDate;

    // the name
    const umlaut = r();
    if (umlaut < 0.3) [first, surname] = [transliterate(first), transliterate(surname)];
    else if (umlaut < 0.45) [first, surname] = [dropAccents(first), dropAccents(surname)];
    const slip = r();
    if (slip < 0.15) first = typo(first, r);
    else if (slip < 0.28) surname = typo(surname, r);
    const order = r();
    let claimantName =
      order < 0.15
        ? `${surname}, ${first}`
        : order < 0.25
          ? `${surname} ${first}`
          : `${first} ${surname}`;
    if (r() < 0.05) claimantName = claimantName.toUpperCase();

    // where they live
    // Moved house: only when every earlier claim gave the birth date. With a new address and
    // no birth date to tie them, a claim is indistinguishable from a namesake's; not generated.
    const moved =
      birthDate !== undefined &&
      (this.pClaims[p] ?? []).every((c) => this.claimHasBirth[c]) &&
      r() < 0.1;
    if (moved) {
      const other = this.newHousehold();
      street = `${STREETS[this.hhStreet[other]]} ${this.hhNumber[other]}`;
      postalCode = this.postal[this.hhPostal[other]];
      city = CITIES[this.postalCity[this.hhPostal[other]]];
    } else {
      const a = r();
      if (a < 0.25) street = street.replace(/straße\b/, 'str.').replace(/Straße\b/, 'Str.');
      else if (a < 0.4) street = street.replace(/ß/g, 'ss');
      else if (a < 0.5) street = street.replace(/(\p{Ll})straße\b/u, '$1-Straße');
      if (r() < 0.1) street = street.replace(/(\d+)([abc])$/, '$1 $2');
      if (r() < 0.1) postalCode = ` ${postalCode}`;
    }
    if (!moved && birthDate !== undefined && r() < 0.3) birthDate = undefined;
    else if (!moved && birthDate === undefined && r() < 0.5) birthDate = isoDay(this.pBirth[p]);

    // the wishes: at least half kept, reordered, some written differently, maybe a new one
    const keep =
      Math.ceil(base.wishIds.length / 2) + Math.floor(r() * (base.wishIds.length / 2 + 1));
    const kept = shuffle([...base.wishIds], r).slice(0, Math.min(keep, base.wishIds.length));
    const wishIds = r() < 0.4 ? this.wishes(kept.length + 1, new Set(), kept) : kept;
    const items = wishIds.map((w) => {
      const noun = WISH_NOUNS[w];
      const v = r();
      if (!kept.includes(w) || v < 0.5) return noun;
      if (v < 0.65) return `ein ${noun}`;
      if (v < 0.8) return `${this.pick(WISH_ADJECTIVES)}es ${noun}`;
      if (v < 0.9) return noun.toLowerCase();
      return typo(noun, r);
    });

    return {
      reference: '',
      recipientId: this.pick(RECIPIENTS.filter((x) => x !== base.recipientId)),
      channel: this.pick(CHANNELS),
      claimantName,
      ...(birthDate ? { birthDate } : {}),
      street,
      postalCode,
      city,
      items,
      person: p,
      wishIds,
    };
  }
}

/** The truth's definition of a material multi-claim: half of the smaller list is the same wishes. */
export function material(a: readonly number[], b: readonly number[]): boolean {
  const set = new Set(b);
  const shared = a.filter((w) => set.has(w)).length;
  return shared > 0 && shared >= Math.min(a.length, b.length) / 2;
}

function transliterate(s: string): string {
  return s
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss');
}

function dropAccents(s: string): string {
  return s.replace(/ß/g, 'ss').normalize('NFKD').replace(/\p{M}/gu, '');
}

/** One slip of the hand in a word of four letters or more: a letter wrong, missing, doubled or swapped. */
function typo(s: string, r: () => number): string {
  const words = s.split(' ');
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^\p{L}{4,}$/u.test(w));
  if (candidates.length === 0) return s;
  const [word, index] = candidates[Math.floor(r() * candidates.length)];
  const at = 1 + Math.floor(r() * (word.length - 2));
  const op = r();
  const letters = 'aeinrstlu';
  let changed: string;
  if (op < 0.25)
    changed = word.slice(0, at) + letters[Math.floor(r() * letters.length)] + word.slice(at + 1);
  else if (op < 0.5) changed = word.slice(0, at) + word.slice(at + 1);
  else if (op < 0.75) changed = word.slice(0, at) + word[at] + word.slice(at);
  else changed = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  words[index] = changed;
  return words.join(' ');
}

function shuffle<T>(list: T[], r: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
