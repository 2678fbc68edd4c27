/**
 * Rules that take a claim out of an inbound item: who (sender name, "ich heiße …", "my name is
 * …"), born when ("geboren am 04.05.2017", "geboren 04-05-2017", "born 2017-05-04", the web form's "Birth date:"),
 * where (the sender's postal address, or a street line and a postal-code line in the text), and
 * what (bullet lines, or the list after "ich wünsche mir" / "I would like"). What the rules do
 * not find is named in `missing`; a claim without a name, without wishes, or with neither postal
 * code nor birth date is not complete, and a person completes it.
 *
 *   extractClaim({ sender: { name: 'Anna Müller' }, bodyText: 'Ich wünsche mir ein Fahrrad und ein Buch.' })
 *   // { claim: { claimantName: 'Anna Müller', items: ['ein Fahrrad', 'ein Buch'], ... }, complete: false, missing: ['postalCode or birthDate'] }
 */

export interface ItemForExtraction {
  readonly sender: { readonly name?: string; readonly email?: string; readonly address?: string };
  readonly subject?: string | null;
  readonly bodyText: string;
}

export interface ExtractedClaim {
  readonly claimantName?: string;
  readonly birthDate?: string;
  readonly street?: string;
  readonly postalCode?: string;
  readonly city?: string;
  readonly items: string[];
}

export interface Extraction {
  readonly claim: ExtractedClaim;
  readonly complete: boolean;
  readonly missing: string[];
}

const NAME_WORD = "[\\p{Lu}][\\p{L}'-]+";
const NAME = `${NAME_WORD}(?:\\s+(?:(?:van|de|der|den|von|du|le|la)\\s+)?${NAME_WORD})+`;
// The phrase in any case, the name after it capitalised: under the `i` flag \p{Lu} would take
// "und bin am" in "ich heiße Anna Müller und bin am …" for more of the name.
const NAME_PHRASES =
  /\b(?:ich hei(?:ß|ss)e|mein name ist|my name is|i am|je m'appelle|ik heet|me llamo)\s+/giu;
const NAME_AT_START = new RegExp(`^${NAME}`, 'u');

function nameInText(body: string): string | undefined {
  for (const phrase of body.matchAll(NAME_PHRASES)) {
    const name = NAME_AT_START.exec(body.slice(phrase.index + phrase[0].length))?.[0];
    if (name) return name;
  }
  return undefined;
}

const STREET_LINE = /^(?:[\p{L}.' -]+?\s\d+\s?[a-z]?|\d+\s[\p{L}.' -]+)$/u;
// Dutch (1017 GC) and British (SW1A 1AA) codes before the plain German, Austrian, Swiss ones
const POSTAL_LINE =
  /^(\d{4}\s?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{4,5})\s+(\p{L}[\p{L} .'-]+)$/u;

function isoDate(text: string): string | undefined {
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return valid(+iso[1], +iso[2], +iso[3]);
  // day first: 04.05.2017 (German), 04/05/2017 (French, British), 04-05-2017 (Dutch)
  const dotted = /\b(\d{1,2})([./-])(\d{1,2})\2(\d{4})\b/.exec(text);
  if (dotted) return valid(+dotted[4], +dotted[3], +dotted[1]);
  return undefined;
}

function valid(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

function birthDateOf(body: string): string | undefined {
  const line = body
    .split('\n')
    .find((l) => /(geboren|birth|born|né|née|geboorte|birthday|geburtstag)/i.test(l));
  return line ? isoDate(line) : undefined;
}

function addressOf(lines: string[]): Pick<ExtractedClaim, 'street' | 'postalCode' | 'city'> {
  for (let i = 0; i < lines.length; i++) {
    const postal = POSTAL_LINE.exec(lines[i]);
    if (!postal) continue;
    const street = lines.slice(Math.max(0, i - 1), i).find((l) => STREET_LINE.test(l));
    return { ...(street ? { street } : {}), postalCode: postal[1], city: postal[2].trim() };
  }
  return {};
}

/** "…, 80331 München" or "Hauptstraße 12, 80331 München" inside a sentence. */
function inlineAddressOf(body: string): Pick<ExtractedClaim, 'street' | 'postalCode' | 'city'> {
  const match =
    /([\p{Lu}][\p{L}.-]*(?:\s[\p{L}.-]+)*\s\d+\s?[a-z]?),\s*(\d{4}\s?[A-Z]{2}|\d{4,5})\s+([\p{Lu}][\p{L}-]+(?:\s[\p{Lu}][\p{L}-]+)*)/u.exec(
      body,
    );
  if (!match) return {};
  const street = match[1]
    .replace(/^(?:in der|in the|at|im|in|an der|am)\s+/i, '')
    .replace(/^.*\b(?:wohne|live|woon|habite)\s+(?:in der\s+|at\s+|in\s+|op\s+)?/i, '');
  return { street, postalCode: match[2], city: match[3] };
}

function itemsOf(body: string): string[] {
  const bullets = body
    .split('\n')
    .map((l) => /^\s*(?:[-*•]|\d+[.)])\s+(.+)$/.exec(l)?.[1]?.trim())
    .filter((l): l is string => Boolean(l));
  if (bullets.length > 0) return bullets;
  const wish =
    /(?:wünsche mir|wünsch mir|i would like|i'd like|i wish for|i want|je voudrais|ik wil graag|ik wens)\s*:?\s*([^.!\n]+)/iu.exec(
      body,
    );
  if (!wish) return [];
  return wish[1]
    .split(/,|\s+und\s+|\s+and\s+|\s+et\s+|\s+en\s+/iu)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function extractClaim(item: ItemForExtraction): Extraction {
  const body = item.bodyText.replace(/\r\n/g, '\n');
  const claimantName = item.sender.name?.trim() || nameInText(body);
  const fromSender = item.sender.address ? addressOf(item.sender.address.split('\n')) : {};
  const fromLines = addressOf(body.split('\n').map((l) => l.trim()));
  const address =
    fromSender.postalCode !== undefined
      ? fromSender
      : fromLines.postalCode !== undefined
        ? fromLines
        : inlineAddressOf(body);
  const birthDate = birthDateOf(body);
  const items = itemsOf(body);
  const claim: ExtractedClaim = {
    ...(claimantName ? { claimantName } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...address,
    items,
  };
  const missing = [
    ...(claimantName ? [] : ['claimantName']),
    ...(items.length > 0 ? [] : ['items']),
    ...(address.postalCode || birthDate ? [] : ['postalCode or birthDate']),
  ];
  return { claim, complete: missing.length === 0, missing };
}
