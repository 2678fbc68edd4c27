/**
 * Normal forms of what claimants write, so that the same person, address and wish compare equal
 * however they were spelled: lower case; umlauts and ß folded the way Germans transliterate
 * them (ä/ae → a, ö/oe → o, ü/ue → u, ß/ss → s), other accents dropped, Cyrillic transliterated;
 * name tokens sorted (so "Müller, Anna" = "Anna Mueller"); street suffixes unified ("Hauptstraße
 * 12" = "Hauptstr. 12" = "Haupt-Strasse 12"); wishes without articles and filler words.
 *
 *   nameKey('Müller, Anna')           // 'ana muler'
 *   addressKey('Haupt-Straße 12 a')   // 'hauptstr 12a'
 *   itemKey('Ein rotes Fahrrad!')     // 'rot fahrad'
 */

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/**
 * Lower case, transliterated to a–z, digits and spaces (ä → ae, ß → ss, é → e, я → ya), and
 * nothing else: the form in which a typo is one edit.
 */
export function transliterate(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[а-яё]/g, (c) => CYRILLIC[c] ?? c)
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/æ/g, 'ae')
    .replace(/œ/g, 'oe')
    .replace(/ø/g, 'o')
    .replace(/([aou])\u0308/g, '$1e')
    .normalize('NFKD')
    .replace(/([aou])\u0308/g, '$1e')
    .replace(/\p{M}/gu, '');
  return s.replace(/[^a-z0-9]+/g, ' ').trim();
}

/** `transliterate`, then spelling variants folded: the form in which variants are equal. */
export function fold(text: string): string {
  let s = transliterate(text);
  // German transliteration and the common sound-alike spellings of names
  s = s
    .replace(/ae/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/ue/g, 'u')
    .replace(/ph/g, 'f')
    .replace(/th/g, 't')
    .replace(/ck/g, 'k')
    .replace(/dt\b/g, 't')
    .replace(/y/g, 'i')
    .replace(/([a-z])\1+/g, '$1');
  return s.replace(/\s+/g, ' ').trim();
}

/** A name's tokens, folded and sorted: order and punctuation do not matter. */
export function nameTokens(name: string): string[] {
  return fold(name)
    .split(' ')
    .filter((t) => t.length > 0)
    .sort();
}

export const nameKey = (name: string): string => nameTokens(name).join(' ');

/** A name's tokens transliterated only, sorted: compared beside `nameTokens`, where a typo
 * next to a folded spelling ("Sohpie" / "Sophie") would otherwise count twice. */
export function spelledNameTokens(name: string): string[] {
  return transliterate(name)
    .split(' ')
    .filter((t) => t.length > 0)
    .sort();
}

const STREET_SUFFIXES: [RegExp, string][] = [
  [/(strase|stras|str)\b/g, 'str'],
  [/\b(strase|stras|str)\b/g, 'str'],
  [/\b(street|stret|st)\b/g, 'st'],
  [/\b(road|rd)\b/g, 'rd'],
  [/\b(avenue|ave|av)\b/g, 'ave'],
  [/(platz|pl)\b/g, 'pl'],
  [/(gase)\b/g, 'g'],
  [/\b(rue)\b/g, 'rue'],
];

/** Street and house number in one comparable form: 'hauptstr 12a'. */
export function addressKey(street: string): string {
  let s = fold(street).replace(/^(am|an der|an|im|in der|auf dem|auf der|zum|zur)\s+/, '');
  for (const [pattern, replacement] of STREET_SUFFIXES) s = s.replace(pattern, replacement);
  // "haupt str" and "hauptstr" are the same street; the house number keeps its letter
  const number = /(\d+)\s*([a-z])?\b/.exec(s);
  const name = s.replace(/\d+\s*[a-z]?\b/g, ' ').replace(/\s+/g, '');
  return number ? `${name} ${number[1]}${number[2] ?? ''}` : name;
}

export const postalKey = (postalCode: string): string =>
  postalCode.replace(/\s+/g, '').toLowerCase();

const FILLER = new Set([
  // articles, pronouns and fillers in the languages of the recipients
  'a',
  'an',
  'the',
  'some',
  'new',
  'my',
  'please',
  'and',
  'with',
  'of',
  'for',
  'ein',
  'eine',
  'einen',
  'einem',
  'der',
  'die',
  'das',
  'den',
  'neue',
  'neuen',
  'neues',
  'bitte',
  'und',
  'mit',
  'fur',
  'mein',
  'meine',
  'gern',
  'gerne',
  'un',
  'une',
  'le',
  'la',
  'les',
  'des',
  'de',
  'du',
  'et',
  'avec',
  'een',
  'het',
  'en',
  'met',
  'graag',
]);

/** One wish in a comparable form: folded, filler words dropped, simple endings cut. */
export function itemKey(item: string): string {
  return fold(item)
    .split(' ')
    .filter((w) => w.length > 0 && !FILLER.has(w))
    .map(stem)
    .join(' ');
}

/** Cuts inflection endings that make "rotes"/"roter"/"rot" and "books"/"book" differ. */
function stem(word: string): string {
  if (/\d/.test(word)) return word;
  const stemmed = word.replace(/(en|er|es|em|e|s|n)$/, '');
  return stemmed.length >= 4 ? stemmed : word;
}
