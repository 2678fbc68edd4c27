/**
 * Case files: for a claim, everything about its claimant across channels and recipients — the
 * claim and the earlier or later claims the similarity check takes for the same person, each
 * with its inbound item and the steps it went through (received, checked, with the office or
 * the escalation team, decided, answered).
 *
 * Who sees what: the central team (admin, auditor) and the escalation groups see every claim;
 * an office sees the claims of its recipients only, and learns how many others exist elsewhere.
 *
 *   const files = new CaseFiles(pool);
 *   const outcome = await files.get('CL-7K3Q-9XPA', user);
 */
import type pg from 'pg';
import type { Claim } from '../similarity/claim.js';
import { ClaimsRepository } from '../similarity/claims.repository.js';
import { SimilarityCheck } from '../similarity/similarity-check.js';

export interface Viewer {
  readonly roles: readonly string[];
  readonly candidateGroups: readonly string[];
}

export interface CaseFileEntry {
  readonly claim: Claim;
  /** why the similarity check takes it for the same person; absent for the claim asked for */
  readonly match?: {
    readonly score: number;
    readonly material: boolean;
    readonly reasons: string[];
  };
  readonly item?: {
    readonly reference: string;
    readonly channel: string;
    readonly subject: string | null;
    readonly receivedAt: string;
  };
  readonly steps: {
    readonly at: string;
    readonly status: string;
    readonly detail: string | null;
  }[];
}

export interface CaseFile {
  readonly claimantName: string;
  readonly claims: CaseFileEntry[];
  /** claims of the same claimant at recipients this viewer may not see */
  readonly hiddenClaims: number;
}

export type CaseFileOutcome =
  | { readonly ok: true; readonly caseFile: CaseFile }
  | { readonly ok: false; readonly reason: 'not_found' | 'forbidden'; readonly message: string };

export const ESCALATION_GROUPS = ['escalation', 'escalation-lead'];

export class CaseFiles {
  private readonly claims: ClaimsRepository;
  private readonly check: SimilarityCheck;

  constructor(private readonly pool: pg.Pool) {
    this.claims = new ClaimsRepository(pool);
    this.check = new SimilarityCheck(pool);
  }

  /** The recipients whose claims `viewer` may see; undefined: all. */
  async visibleRecipients(viewer: Viewer): Promise<Set<string> | undefined> {
    if (
      viewer.roles.some((r) => r === 'admin' || r === 'auditor') ||
      viewer.candidateGroups.some((g) => ESCALATION_GROUPS.includes(g))
    ) {
      return undefined;
    }
    const { rows } = await this.pool.query<{ id: string }>(
      'SELECT id FROM inbound_recipient WHERE office_group = ANY($1)',
      [viewer.candidateGroups],
    );
    return new Set(rows.map((r) => r.id));
  }

  async get(claimReference: string, viewer: Viewer): Promise<CaseFileOutcome> {
    const claim = await this.claims.byReference(claimReference);
    if (!claim) {
      return { ok: false, reason: 'not_found', message: `No claim '${claimReference}'` };
    }
    const visible = await this.visibleRecipients(viewer);
    if (visible && !visible.has(claim.recipientId)) {
      return {
        ok: false,
        reason: 'forbidden',
        message: `Claim '${claim.reference}' was made to ${claim.recipientId}; only its office and the central team see it`,
      };
    }
    const { matches } = await this.check.run(claim, { excludeId: claim.id });
    const related = matches.filter((m) => !visible || visible.has(m.claim.recipientId));
    const entries = [
      await this.entry(claim),
      ...(await Promise.all(
        related.map((m) =>
          this.entry(m.claim, { score: m.score, material: m.material, reasons: m.reasons }),
        ),
      )),
    ];
    return {
      ok: true,
      caseFile: {
        claimantName: claim.claimantName,
        claims: entries,
        hiddenClaims: matches.length - related.length,
      },
    };
  }

  /** The latest claims this viewer may see, newest first. */
  async list(viewer: Viewer, limit = 50): Promise<Claim[]> {
    const visible = await this.visibleRecipients(viewer);
    const { rows } = await this.pool.query<{ reference: string }>(
      `SELECT reference FROM claim WHERE ($1::text[] IS NULL OR recipient_id = ANY($1))
        ORDER BY submitted_at DESC, id LIMIT $2`,
      [visible ? [...visible] : null, limit],
    );
    const claims = await Promise.all(rows.map((r) => this.claims.byReference(r.reference)));
    return claims.filter((c): c is Claim => c !== undefined);
  }

  private async entry(claim: Claim, match?: CaseFileEntry['match']): Promise<CaseFileEntry> {
    if (!claim.inboundItemId) return { claim, ...(match ? { match } : {}), steps: [] };
    const { rows: items } = await this.pool.query<{
      reference: string;
      channel: string;
      subject: string | null;
      received_at: Date;
    }>('SELECT reference, channel, subject, received_at FROM inbound_item WHERE id = $1', [
      claim.inboundItemId,
    ]);
    const { rows: steps } = await this.pool.query<{
      at: Date;
      status: string;
      detail: string | null;
    }>(
      'SELECT at, status, detail FROM inbound_status_event WHERE inbound_item_id = $1 ORDER BY id',
      [claim.inboundItemId],
    );
    return {
      claim,
      ...(match ? { match } : {}),
      ...(items[0]
        ? {
            item: {
              reference: items[0].reference,
              channel: items[0].channel,
              subject: items[0].subject,
              receivedAt: items[0].received_at.toISOString(),
            },
          }
        : {}),
      steps: steps.map((s) => ({ at: s.at.toISOString(), status: s.status, detail: s.detail })),
    };
  }
}
