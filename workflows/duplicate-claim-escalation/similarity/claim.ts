/**
 * A claim: who claims what, taken from an inbound item (a wish list: the claimant, where they
 * live, what they wish for), with the normal forms the similarity check compares.
 *
 *   const keys = claimKeys({ claimantName: 'Anna Müller', street: 'Hauptstr. 12', postalCode: '80331', items: ['Fahrrad'] });
 */
import { addressKey, itemKey, nameKey, postalKey } from './normalize.js';

export interface NewClaim {
  readonly recipientId: string;
  readonly channel: string;
  readonly claimantName: string;
  /** ISO date `YYYY-MM-DD`, when the claimant gave it */
  readonly birthDate?: string;
  readonly street?: string;
  readonly postalCode?: string;
  readonly city?: string;
  readonly items: readonly string[];
  readonly inboundItemId?: string;
  readonly submittedAt?: Date;
}

/**
 * open: a claim of its own; rejected: the escalation decided an earlier claim stands; merged:
 * its wishes went into the earlier claim it duplicates (`mergedIntoId`), which stands for it.
 */
export type ClaimStatus = 'open' | 'rejected' | 'merged';

export interface Claim extends NewClaim {
  readonly id: string;
  readonly reference: string;
  readonly status: ClaimStatus;
  /** the claim this one was merged into, when `status` is 'merged' */
  readonly mergedIntoId?: string;
}

export interface ClaimKeys {
  readonly nameKey: string;
  readonly addressKey: string | null;
  readonly postalKey: string | null;
  readonly itemKeys: string[];
}

/** One line a case worker reads: who, born when, where, to whom by which channel, what. */
export function claimSummary(claim: NewClaim & { reference?: string }): string {
  const who = [
    claim.claimantName,
    claim.birthDate ? `born ${claim.birthDate}` : undefined,
    [claim.street, [claim.postalCode, claim.city].filter(Boolean).join(' ')]
      .filter(Boolean)
      .join(', ') || undefined,
  ]
    .filter(Boolean)
    .join('; ');
  const to = [claim.reference, `to ${claim.recipientId} by ${claim.channel}`]
    .filter(Boolean)
    .join(', ');
  return `${who} (${to}): ${claim.items.join(', ')}`;
}

export function claimKeys(claim: Omit<NewClaim, 'recipientId' | 'channel'>): ClaimKeys {
  return {
    nameKey: nameKey(claim.claimantName),
    addressKey: claim.street ? addressKey(claim.street) : null,
    postalKey: claim.postalCode ? postalKey(claim.postalCode) : null,
    // aligned with `items`; a wish of filler words only has an empty key and matches nothing
    itemKeys: claim.items.map(itemKey),
  };
}
