/**
 * Case files: for a claim, everything about its claimant across channels and recipients — the
 * claim and the earlier or later claims the similarity check takes for the same person, each
 * with its inbound item and the steps it went through (received, checked, with the office or
 * the escalation team, decided, answered).
 *
 * What the escalation did shows with each claim: its decision (reject, merge, allow, by whom,
 * when); a merged claim says which claim it was merged into, and the surviving claim lists the
 * claims merged into it with the wishes each added (a merged claim is no separate claim of the
 * claimant any more: the similarity check reports the claim that stands for it). Letters and
 * faxes sent for a claim's item are listed with where they went, and the user tasks of the
 * item's process instance (from the tasklist) with their state and who did them.
 *
 * Who sees what: the central team (admin, auditor) and the escalation groups see every claim;
 * an office sees the claims of its recipients only, and learns how many others exist elsewhere
 * (a claim merged in from another recipient shows its wishes, not its reference).
 *
 *   const files = new CaseFiles(pool);
 *   const outcome = await files.get('CL-7K3Q-9XPA', user);
 */
import type pg from 'pg';
import type { Claim } from '../similarity/claim.js';
import { ClaimsRepository } from '../similarity/claims.repository.js';
import { SimilarityCheck } from '../similarity/similarity-check.js';
import { ClaimDecisions, type EscalationDecision } from '../workers/claim-decisions.service.js';

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
    /** the merged claim that matched, which this claim stands for */
    readonly via?: string;
  };
  readonly decision?: {
    readonly decision: EscalationDecision;
    readonly by: string | null;
    readonly at: string;
    readonly note: string | null;
  };
  /** for a merged claim: where it went */
  readonly mergedInto?: {
    readonly reference: string;
    readonly recipientId: string;
    readonly itemsAdded: string[];
    readonly by: string | null;
    readonly at: string;
    readonly processInstanceKey: string;
  };
  /** for a surviving claim: the claims merged into it; reference null at a recipient the viewer may not see */
  readonly mergedClaims: {
    readonly reference: string | null;
    readonly recipientId: string | null;
    readonly channel: string;
    readonly itemsAdded: string[];
    readonly by: string | null;
    readonly at: string;
    readonly processInstanceKey: string;
  }[];
  /** letters and faxes sent for the claim's item */
  readonly documents: {
    readonly kind: 'letter' | 'fax';
    readonly filename: string;
    readonly sha256: string;
    readonly destination: string;
    readonly state: 'rendered' | 'handed-over';
    readonly handedTo: string | null;
    readonly at: string;
  }[];
  /** user tasks of the item's process instance, as the tasklist took them, oldest first */
  readonly tasks: {
    readonly key: string;
    readonly name: string;
    readonly elementId: string;
    readonly state: 'open' | 'completed' | 'canceled';
    readonly assignee: string | null;
    readonly candidateGroups: string[];
    readonly createdAt: string;
    readonly completedBy: string | null;
    readonly completedAt: string | null;
  }[];
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
  private readonly decisions: ClaimDecisions;

  constructor(private readonly pool: pg.Pool) {
    this.claims = new ClaimsRepository(pool);
    this.check = new SimilarityCheck(pool);
    this.decisions = new ClaimDecisions(pool);
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
      await this.entry(claim, visible),
      ...(await Promise.all(
        related.map((m) =>
          this.entry(m.claim, visible, {
            score: m.score,
            material: m.material,
            reasons: m.reasons,
            ...(m.via ? { via: m.via.reference } : {}),
          }),
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

  private async entry(
    claim: Claim,
    visible: Set<string> | undefined,
    match?: CaseFileEntry['match'],
  ): Promise<CaseFileEntry> {
    const [decision, merge, merges] = await Promise.all([
      this.decisions.decisionOf(claim.id),
      claim.status === 'merged' ? this.decisions.mergeOf(claim.id) : undefined,
      this.decisions.mergedInto(claim.id),
    ]);
    const escalation = {
      ...(decision
        ? {
            decision: {
              decision: decision.decision,
              by: decision.decidedBy,
              at: decision.decidedAt.toISOString(),
              note: decision.note,
            },
          }
        : {}),
      ...(merge
        ? {
            mergedInto: {
              reference: merge.survivingReference,
              recipientId: merge.survivingRecipientId,
              itemsAdded: merge.itemsAdded,
              by: merge.mergedBy,
              at: merge.mergedAt.toISOString(),
              processInstanceKey: merge.processInstanceKey,
            },
          }
        : {}),
      mergedClaims: merges.map((m) => {
        const seen = !visible || visible.has(m.mergedRecipientId);
        return {
          reference: seen ? m.mergedReference : null,
          recipientId: seen ? m.mergedRecipientId : null,
          channel: m.mergedChannel,
          itemsAdded: m.itemsAdded,
          by: m.mergedBy,
          at: m.mergedAt.toISOString(),
          processInstanceKey: m.processInstanceKey,
        };
      }),
    };
    if (!claim.inboundItemId) {
      return {
        claim,
        ...(match ? { match } : {}),
        ...escalation,
        documents: [],
        tasks: [],
        steps: [],
      };
    }
    const { rows: items } = await this.pool.query<{
      reference: string;
      channel: string;
      subject: string | null;
      received_at: Date;
    }>('SELECT reference, channel, subject, received_at FROM inbound_item WHERE id = $1', [
      claim.inboundItemId,
    ]);
    const { rows: tasks } = await this.pool.query<{
      key: string;
      name: string;
      element_id: string;
      state: 'open' | 'completed' | 'canceled';
      assignee: string | null;
      candidate_groups: string[];
      created_at: Date;
      completed_by: string | null;
      completed_at: Date | null;
    }>(
      `SELECT t.job_key::text AS key, t.name, t.element_id, t.state, t.assignee,
              t.candidate_groups, t.created_at, t.completed_by, t.completed_at
         FROM inbound_item i JOIN user_task t ON t.process_instance_key = i.process_instance_key
        WHERE i.id = $1 ORDER BY t.created_at, t.job_key`,
      [claim.inboundItemId],
    );
    const { rows: steps } = await this.pool.query<{
      at: Date;
      status: string;
      detail: string | null;
    }>(
      'SELECT at, status, detail FROM inbound_status_event WHERE inbound_item_id = $1 ORDER BY id',
      [claim.inboundItemId],
    );
    const { rows: documents } = await this.pool.query<{
      kind: 'letter' | 'fax';
      filename: string;
      sha256: string;
      destination: string;
      state: 'rendered' | 'handed-over';
      handed_to: string | null;
      created_at: Date;
    }>(
      `SELECT kind, filename, sha256, destination, state, handed_to, created_at
         FROM outbound_document WHERE inbound_item_id = $1 ORDER BY created_at, id`,
      [claim.inboundItemId],
    );
    return {
      claim,
      ...(match ? { match } : {}),
      ...escalation,
      documents: documents.map((d) => ({
        kind: d.kind,
        filename: d.filename,
        sha256: d.sha256,
        destination: d.destination,
        state: d.state,
        handedTo: d.handed_to,
        at: d.created_at.toISOString(),
      })),
      tasks: tasks.map((t) => ({
        key: t.key,
        name: t.name,
        elementId: t.element_id,
        state: t.state,
        assignee: t.assignee,
        candidateGroups: t.candidate_groups,
        createdAt: t.created_at.toISOString(),
        completedBy: t.completed_by,
        completedAt: t.completed_at?.toISOString() ?? null,
      })),
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
