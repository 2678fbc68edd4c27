/**
 * A small language guess for inbound text, by counting frequent function words. Good enough to
 * route a wish list or pick the language of a reply; `undefined` when the text gives no clue.
 *
 *   detectLanguage('Liebes Christkind, ich wünsche mir ein Fahrrad und ...'); // 'de'
 */
const STOP_WORDS: Record<string, readonly string[]> = {
  de: [
    'und',
    'ich',
    'der',
    'die',
    'das',
    'mir',
    'ein',
    'eine',
    'nicht',
    'mit',
    'liebes',
    'lieber',
    'bitte',
    'wünsche',
    'ist',
    'für',
  ],
  en: [
    'and',
    'the',
    'i',
    'would',
    'like',
    'dear',
    'please',
    'for',
    'with',
    'my',
    'is',
    'wish',
    'want',
  ],
  fr: [
    'et',
    'je',
    'le',
    'la',
    'les',
    'un',
    'une',
    'pour',
    'cher',
    'voudrais',
    'avec',
    'mon',
    'est',
    'merci',
  ],
  nl: [
    'en',
    'ik',
    'de',
    'het',
    'een',
    'voor',
    'graag',
    'lieve',
    'beste',
    'met',
    'wil',
    'mijn',
    'is',
  ],
  es: [
    'y',
    'yo',
    'el',
    'la',
    'los',
    'un',
    'una',
    'para',
    'querido',
    'quiero',
    'con',
    'mi',
    'es',
    'gracias',
  ],
};

export function detectLanguage(text: string): string | undefined {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  let best: string | undefined;
  let bestScore = 0;
  for (const [language, stopWords] of Object.entries(STOP_WORDS)) {
    const set = new Set(stopWords);
    const score = words.reduce((n, w) => n + (set.has(w) ? 1 : 0), 0);
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  return bestScore >= 2 ? best : undefined;
}
