/**
 * The similarity check: earlier claims by the same person with overlapping material wishes,
 * across recipients and channels.
 *
 * Candidates come from PostgreSQL: claims at the claimant's postal code or with their birth
 * date (B-tree indexes; with neither, a trigram search on the name over the pg_trgm GIN index),
 * whose folded name is trigram-similar (pg_trgm `similarity`). Each candidate is then judged:
 * - the same person: every name token pairs with one of the other name (typos, umlauts and
 *   transliterations, swapped order allowed), birth dates do not contradict, and either the birth
 *   dates agree or the address does (street variants allowed);
 * - a material multi-claim: at least half of the smaller wish list recurs (fuzzy item match).
 * A sibling at the same address fails on the first name, a namesake elsewhere on birth date or
 * address; the same person with other wishes is reported, but not as material.
 *
 * A merged claim is no claim of its own any more: a match on it is reported as its surviving
 * claim (the one it was merged into, `via` the merged one), once, and never as the probe itself.
 * Open claims come before rejected ones, and of equal matches the earlier claim comes first, so
 * that `matches[0]` is the claim that stands.
 *
 *   const check = new SimilarityCheck(pool);
 *   const result = await check.run(claim, { excludeId: claim.id });
 *   result.duplicate; // true when some match is material
 */
import type pg from 'pg';
import { claimKeys, type Claim, type NewClaim } from './claim.js';
import { CLAIM_COLUMNS, claimFromRow, type ClaimRow } from './claims.repository.js';
import { matchItems, nameSimilarity, trigramSimilarity } from './fuzzy.js';
import { fold, spelledNameTokens } from './normalize.js';

export interface SimilarityMatch {
  readonly claim: Claim;
  /** 0..1: how sure the check is that this is the same person claiming the same things */
  readonly score: number;
  /** the same person with overlapping material wishes: a duplicate claim */
  readonly material: boolean;
  /** why, in words, for the case worker */
  readonly reasons: string[];
  /** wish pairs that recur: [this claim's wish, the earlier claim's wish] */
  readonly overlappingItems: [string, string][];
  /** the merged claim that matched and that `claim` stands for since the merge */
  readonly via?: Claim;
}

export interface SimilarityResult {
  readonly duplicate: boolean;
  /** best first */
  readonly matches: SimilarityMatch[];
}

export interface SimilarityOptions {
  /** a stored claim does not match itself */
  readonly excludeId?: string;
}

/** Below this, two name tokens are different names (anna/ana 0.75, anna/lena 0.5). */
const NAME_THRESHOLD = 0.74;
/** Folded names less trigram-similar than this are not fetched at all. */
const NAME_PREFILTER = 0.3;
const ADDRESS_THRESHOLD = 0.6;

export class SimilarityCheck {
  constructor(private readonly pool: pg.Pool) {}

  async run(claim: NewClaim, options: SimilarityOptions = {}): Promise<SimilarityResult> {
    const keys = claimKeys(claim);
    const candidates = await this.candidates(claim, keys, options.excludeId);
    const probeTokens = keys.nameKey.split(' ');
    const probeSpelled = spelledNameTokens(claim.claimantName);
    const matches: SimilarityMatch[] = [];
    for (const row of candidates) {
      const reasons: string[] = [];
      const name = Math.max(
        nameSimilarity(probeTokens, row.name_key.split(' ')),
        nameSimilarity(probeSpelled, spelledNameTokens(row.claimant_name)),
      );
      if (name < NAME_THRESHOLD) continue;
      reasons.push(nameReason(claim.claimantName, row.claimant_name, name));

      const birth =
        claim.birthDate && row.birth_date
          ? claim.birthDate === row.birth_date
            ? 'same'
            : 'different'
          : 'unknown';
      if (birth === 'different') continue;
      if (birth === 'same') reasons.push(`same birth date ${row.birth_date}`);

      const samePostal = keys.postalKey !== null && keys.postalKey === row.postal_key;
      const address =
        samePostal && keys.addressKey && row.address_key
          ? keys.addressKey === row.address_key
            ? 1
            : trigramSimilarity(keys.addressKey, row.address_key)
          : 0;
      const sameAddress = address >= ADDRESS_THRESHOLD;
      if (sameAddress) {
        reasons.push(
          fold(claim.street ?? '') === fold(row.street ?? '')
            ? 'same address'
            : `same address written differently ('${claim.street}' / '${row.street}')`,
        );
      }
      if (birth !== 'same' && !sameAddress) continue;
      if (!sameAddress) reasons.push('another address (moved?)');

      const pairs = matchItems(keys.itemKeys, row.item_keys);
      const smaller = Math.min(nonEmpty(keys.itemKeys), nonEmpty(row.item_keys));
      const itemRatio = smaller === 0 ? 0 : pairs.length / smaller;
      const material = pairs.length > 0 && itemRatio >= 0.5;
      reasons.push(
        pairs.length === 0 ? 'no wish recurs' : `${pairs.length} of ${smaller} wishes recur`,
      );
      const identity = (name + (birth === 'same' ? 1 : 0.5) + (sameAddress ? 1 : 0)) / 3;
      matches.push({
        claim: claimFromRow(row),
        score: Math.round((0.6 * identity + 0.4 * itemRatio) * 1000) / 1000,
        material,
        reasons,
        overlappingItems: pairs.map(([i, j]) => [claim.items[i], row.items[j]]),
      });
    }
    const standing = await this.survivorsFor(matches, options.excludeId);
    standing.sort(
      (a, b) =>
        Number(b.material) - Number(a.material) ||
        Number(b.claim.status === 'open') - Number(a.claim.status === 'open') ||
        b.score - a.score ||
        (a.claim.submittedAt?.getTime() ?? 0) - (b.claim.submittedAt?.getTime() ?? 0),
    );
    return { duplicate: standing.some((m) => m.material), matches: standing };
  }

  /**
   * Matches on merged claims replaced by their surviving claims (following merges of merges),
   * one match per claim (the better one), without the probe's own claim.
   */
  private async survivorsFor(
    matches: SimilarityMatch[],
    excludeId: string | undefined,
  ): Promise<SimilarityMatch[]> {
    const merged = matches.filter((m) => m.claim.status === 'merged').map((m) => m.claim.id);
    const survivors = new Map<string, Claim>();
    if (merged.length > 0) {
      const { rows } = await this.pool.query<ClaimRow & { merged_id: string }>(
        `WITH RECURSIVE chain (merged_id, next_id, depth) AS (
           SELECT id, merged_into, 1 FROM claim WHERE id = ANY($1::uuid[])
           UNION ALL
           SELECT chain.merged_id, claim.merged_into, chain.depth + 1
             FROM chain JOIN claim ON claim.id = chain.next_id
            WHERE claim.merged_into IS NOT NULL AND chain.depth < 32)
         SELECT DISTINCT ON (chain.merged_id) chain.merged_id, ${CLAIM_COLUMNS}
           FROM chain JOIN claim ON claim.id = chain.next_id
          ORDER BY chain.merged_id, chain.depth DESC`,
        [merged],
      );
      for (const row of rows) survivors.set(row.merged_id, claimFromRow(row));
    }
    const byClaim = new Map<string, SimilarityMatch>();
    for (const match of matches) {
      const survivor = survivors.get(match.claim.id);
      const standing: SimilarityMatch = survivor
        ? {
            ...match,
            claim: survivor,
            via: match.claim,
            reasons: [
              ...match.reasons,
              `through ${match.claim.reference}, merged into ${survivor.reference}`,
            ],
          }
        : match;
      if (standing.claim.id === excludeId) continue;
      const seen = byClaim.get(standing.claim.id);
      const better =
        !seen ||
        Number(standing.material) - Number(seen.material) > 0 ||
        (standing.material === seen.material && standing.score > seen.score);
      if (better) byClaim.set(standing.claim.id, standing);
    }
    return [...byClaim.values()];
  }

  private async candidates(
    claim: NewClaim,
    keys: ReturnType<typeof claimKeys>,
    excludeId: string | undefined,
  ): Promise<ClaimRow[]> {
    if (keys.postalKey === null && !claim.birthDate) {
      // Neither postal code nor birth date: the name alone, through the trigram index.
      const { rows } = await this.pool.query<ClaimRow>(
        `SELECT ${CLAIM_COLUMNS} FROM claim
          WHERE name_key % $1 AND id IS DISTINCT FROM $2
          ORDER BY similarity(name_key, $1) DESC LIMIT 200`,
        [keys.nameKey, excludeId ?? null],
      );
      return rows;
    }
    const { rows } = await this.pool.query<ClaimRow>(
      `SELECT ${CLAIM_COLUMNS} FROM claim
        WHERE (postal_key = $1 OR birth_date = $2::date)
          AND similarity(name_key, $3) >= $4
          AND id IS DISTINCT FROM $5`,
      [keys.postalKey, claim.birthDate ?? null, keys.nameKey, NAME_PREFILTER, excludeId ?? null],
    );
    return rows;
  }
}

const nonEmpty = (keys: readonly string[]) => keys.filter((k) => k.length > 0).length;

function nameReason(a: string, b: string, similarity: number): string {
  const ta = fold(a).split(' ');
  const tb = fold(b).split(' ');
  if (a === b) return 'same name';
  if (ta.join(' ') === tb.join(' ')) return `same name written differently ('${a}' / '${b}')`;
  if ([...ta].sort().join(' ') === [...tb].sort().join(' ')) {
    return `same name in another order ('${a}' / '${b}')`;
  }
  return `similar name ('${a}' / '${b}', ${Math.round(similarity * 100)} %)`;
}
