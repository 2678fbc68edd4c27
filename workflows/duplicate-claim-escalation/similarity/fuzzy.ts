/**
 * String similarity for the similarity check, all in [0, 1]:
 * - `tokenSimilarity`: 1 − optimal-string-alignment distance / longer length (typos,
 *   transpositions); for single name tokens.
 * - `trigramSimilarity`: pg_trgm's measure (shared word trigrams / all trigrams), for phrases
 *   such as wishes, so that the check and the database agree.
 */

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
export function osaDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

export function tokenSimilarity(a: string, b: string): number {
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : 1 - osaDistance(a, b) / longer;
}

/** Word trigrams as pg_trgm makes them: each word padded with two spaces before, one after. */
export function trigrams(text: string): Set<string> {
  const result = new Set<string>();
  for (const word of text.split(' ')) {
    if (word.length === 0) continue;
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) result.add(padded.slice(i, i + 3));
  }
  return result;
}

export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared += 1;
  return shared / (ta.size + tb.size - shared);
}

/**
 * Pairs the tokens of two names one to one, best pairs first. The weakest pair decides: a
 * different first name at the same address is a sibling, not a typo.
 */
export function nameSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const pairs: { i: number; j: number; s: number }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) pairs.push({ i, j, s: tokenSimilarity(a[i], b[j]) });
  }
  pairs.sort((x, y) => y.s - x.s);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  let weakest = 1;
  for (const p of pairs) {
    if (usedA.has(p.i) || usedB.has(p.j)) continue;
    usedA.add(p.i);
    usedB.add(p.j);
    weakest = Math.min(weakest, p.s);
  }
  // A middle name given once and not the other time costs a little, not everything.
  const unmatched = Math.abs(a.length - b.length);
  return unmatched === 0 ? weakest : weakest * (1 - 0.1 * unmatched);
}

/** Whether two wishes are the same thing: close trigrams, or one's words inside the other's. */
export function sameItem(a: string, b: string): boolean {
  if (a === b) return true;
  // 0.55: compounds that share a prefix ("schlit" / "schlitschuh") stay apart
  if (trigramSimilarity(a, b) >= 0.55) return true;
  const wa = a.split(' ');
  const wb = b.split(' ');
  const [shorter, longer] = wa.length <= wb.length ? [wa, wb] : [wb, wa];
  return shorter.every((w) => w.length >= 3 && longer.some((v) => tokenSimilarity(w, v) >= 0.75));
}

/** The wishes of `a` that `b` has too (one to one), as index pairs. */
export function matchItems(a: readonly string[], b: readonly string[]): [number, number][] {
  const used = new Set<number>();
  const pairs: [number, number][] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i].length === 0) continue;
    for (let j = 0; j < b.length; j++) {
      if (!used.has(j) && b[j].length > 0 && sameItem(a[i], b[j])) {
        used.add(j);
        pairs.push([i, j]);
        break;
      }
    }
  }
  return pairs;
}
