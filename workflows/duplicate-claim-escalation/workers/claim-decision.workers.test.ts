// The escalation's decision done to the claims, through Kontor's Zeebe gateway with
// @camunda8/sdk: record the decision, merge on "merge", as the duplicate-claim process does;
// the state in PostgreSQL after one run and after a second one; the similarity check and the
// case file after a merge; the incidents of merges that cannot be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecipientsRepository } from '../../../connectors/src/inbound/recipients.repository.js';
import { RECIPIENTS } from '../../../connectors/src/testing/intake-harness.js';
import {
  startGatewayHarness,
  type GatewayHarness,
} from '../../../engine/src/testing/gateway-harness.js';
import { CaseFiles } from '../case-file/case-file.service.js';
import type { NewClaim } from '../similarity/claim.js';
import { ClaimsRepository } from '../similarity/claims.repository.js';
import { SimilarityCheck } from '../similarity/similarity-check.js';
import { startClaimDecisionWorkers } from './claim-decision.workers.js';

/** record the decision → merge? → merge into the earlier claim → end (as in the shipped process) */
const DECIDE_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-decide" targetNamespace="t">
  <bpmn:process id="decide-claim" isExecutable="true">
    <bpmn:startEvent id="s"/>
    <bpmn:serviceTask id="record-decision">
      <bpmn:extensionElements><zeebe:taskDefinition type="kontor:claim-decision"/></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:exclusiveGateway id="merge-decided" default="not-merged"/>
    <bpmn:serviceTask id="merge-claim">
      <bpmn:extensionElements><zeebe:taskDefinition type="kontor:claim-merge"/></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="done"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="record-decision"/>
    <bpmn:sequenceFlow id="f2" sourceRef="record-decision" targetRef="merge-decided"/>
    <bpmn:sequenceFlow id="to-merge" sourceRef="merge-decided" targetRef="merge-claim">
      <bpmn:conditionExpression>=outcome = "merge"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="not-merged" sourceRef="merge-decided" targetRef="done"/>
    <bpmn:sequenceFlow id="f3" sourceRef="merge-claim" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>`;

let harness: GatewayHarness;
let workers: { close(): Promise<void> };
let claims: ClaimsRepository;

beforeAll(async () => {
  harness = await startGatewayHarness();
  claims = new ClaimsRepository(harness.database.pool);
  const recipients = new RecipientsRepository(harness.database.pool);
  for (const recipient of RECIPIENTS) await recipients.save(recipient);
  await harness.zeebe.deployResource({ process: Buffer.from(DECIDE_BPMN), name: 'decide.bpmn' });
  workers = startClaimDecisionWorkers({ zeebe: harness.zeebe, pool: harness.database.pool });
});
afterAll(async () => {
  await workers?.close();
  await harness?.stop();
});

const aClaim = (overrides: Partial<NewClaim> = {}): NewClaim => ({
  recipientId: 'christkind',
  channel: 'email',
  claimantName: 'Anna Müller',
  birthDate: '2017-05-04',
  street: 'Hauptstraße 12',
  postalCode: '80331',
  city: 'München',
  items: ['ein rotes Fahrrad', 'einen Malkasten'],
  ...overrides,
});

/** Runs the decision for one claim and waits for the instance's end or its incident. */
async function decide(variables: {
  claimId: string;
  outcome: string;
  earlierClaimId?: string;
}): Promise<{ processInstanceKey: string; incident?: string }> {
  const { processInstanceKey } = await harness.zeebe.createProcessInstance({
    bpmnProcessId: 'decide-claim',
    variables,
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const records = await harness.records(processInstanceKey);
    const incident = records.find((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED');
    if (incident) return { processInstanceKey, incident: String(incident.value.errorMessage) };
    if (records.some((r) => r.intent === 'ELEMENT_COMPLETED' && r.elementId === 'done')) {
      return { processInstanceKey };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process instance ${processInstanceKey} neither ended nor failed`);
}

/** What the merge writes, all of it. */
async function snapshot(ids: string[]) {
  const pool = harness.database.pool;
  const rows = async (sql: string) => (await pool.query(sql, [ids])).rows;
  return {
    claims: await rows(
      'SELECT id, items, item_keys, status, merged_into FROM claim WHERE id = ANY($1) ORDER BY id',
    ),
    decisions: await rows(
      'SELECT * FROM claim_decision WHERE claim_id = ANY($1) ORDER BY claim_id',
    ),
    merges: await rows(
      'SELECT * FROM claim_merge WHERE merged_claim_id = ANY($1) OR surviving_claim_id = ANY($1)',
    ),
  };
}

describe('kontor:claim-decision and kontor:claim-merge', () => {
  it('merges the later claim into the earlier one, adding only the wishes it lacks, once', async () => {
    // given an earlier claim and a later one by the same child, with one wish spelled differently
    const earlier = await claims.insert(aClaim());
    const later = await claims.insert(
      aClaim({
        recipientId: 'santa-claus',
        channel: 'web',
        street: 'Hauptstr. 12',
        items: ['Fahrrad rot', 'Teddy', 'einen Teddy'],
      }),
    );

    // when the escalation decides "merge"
    const { processInstanceKey, incident } = await decide({
      claimId: later.id,
      earlierClaimId: earlier.id,
      outcome: 'merge',
    });

    // then the earlier claim keeps its reference and gains the one new wish
    expect(incident).toBeUndefined();
    const survivor = await claims.get(earlier.id);
    expect(survivor).toMatchObject({
      reference: earlier.reference,
      status: 'open',
      items: ['ein rotes Fahrrad', 'einen Malkasten', 'Teddy'],
    });
    // and the later claim is merged into it, by this process instance
    expect(await claims.get(later.id)).toMatchObject({
      status: 'merged',
      mergedIntoId: earlier.id,
    });
    const state = await snapshot([earlier.id, later.id]);
    expect(state.merges).toEqual([
      expect.objectContaining({
        merged_claim_id: later.id,
        surviving_claim_id: earlier.id,
        items_added: ['Teddy'],
        process_instance_key: processInstanceKey,
      }),
    ]);
    expect(state.decisions).toEqual([
      expect.objectContaining({ claim_id: later.id, decision: 'merge' }),
    ]);

    // when the same decision runs a second time
    const again = await decide({ claimId: later.id, earlierClaimId: earlier.id, outcome: 'merge' });

    // then nothing changed, and the second run answers with the merge as it was done
    expect(again.incident).toBeUndefined();
    expect(await snapshot([earlier.id, later.id])).toEqual(state);
    const merge = (await harness.records(again.processInstanceKey)).find(
      (r) => r.valueType === 'VARIABLE' && r.value.name === 'merge',
    );
    expect(JSON.parse(String(merge?.value.value))).toMatchObject({
      survivingReference: earlier.reference,
      itemsAdded: ['Teddy'],
    });
  });

  it('lets the similarity check and the case file see the surviving claim, not the merged one', async () => {
    // given a child who moved: the earlier claim in Munich, the later one from Hamburg, merged
    const munich = await claims.insert(
      aClaim({ claimantName: 'Lena Vogel', birthDate: '2016-02-02', items: ['Roller', 'Buch'] }),
    );
    const hamburg = await claims.insert(
      aClaim({
        recipientId: 'santa-claus',
        channel: 'post',
        claimantName: 'Lena Vogel',
        birthDate: '2016-02-02',
        street: 'Elbchaussee 7',
        postalCode: '22763',
        city: 'Hamburg',
        items: ['Roller', 'Schlittschuhe'],
      }),
    );
    await decide({ claimId: hamburg.id, earlierClaimId: munich.id, outcome: 'merge' });

    // when a third list comes from Hamburg, without birth date: only the merged claim's address fits
    const check = new SimilarityCheck(harness.database.pool);
    const result = await check.run(
      aClaim({
        recipientId: 'sinterklaas',
        claimantName: 'Lena Vogel',
        birthDate: undefined,
        street: 'Elbchaussee 7',
        postalCode: '22763',
        city: 'Hamburg',
        items: ['Schlittschuhe', 'Roller'],
      }),
    );

    // then the check reports the surviving claim, through the merged one, and only it
    expect(result.duplicate).toBe(true);
    expect(result.matches.map((m) => [m.claim.reference, m.via?.reference])).toEqual([
      [munich.reference, hamburg.reference],
    ]);
    expect(result.matches[0].reasons).toContain(
      `through ${hamburg.reference}, merged into ${munich.reference}`,
    );

    // and the check of the surviving claim itself does not list the claim merged into it
    expect((await check.run(munich, { excludeId: munich.id })).matches).toEqual([]);

    // and the case files say where the merged claim went and what went into the surviving one
    const files = new CaseFiles(harness.database.pool);
    const central = { roles: ['auditor'], candidateGroups: [] };
    const merged = await files.get(hamburg.reference, central);
    expect(merged.ok && merged.caseFile.claims.map((c) => c.claim.reference)).toEqual([
      hamburg.reference,
      munich.reference,
    ]);
    expect(merged.ok && merged.caseFile.claims[0]).toMatchObject({
      claim: { status: 'merged' },
      decision: { decision: 'merge' },
      mergedInto: {
        reference: munich.reference,
        recipientId: 'christkind',
        itemsAdded: ['Schlittschuhe'],
      },
    });
    const surviving = await files.get(munich.reference, central);
    expect(surviving.ok && surviving.caseFile.claims[0].mergedClaims).toEqual([
      expect.objectContaining({
        reference: hamburg.reference,
        recipientId: 'santa-claus',
        channel: 'post',
        itemsAdded: ['Schlittschuhe'],
      }),
    ]);
    // an office sees what was merged into its claim, not the other recipient's reference
    const office = await files.get(munich.reference, {
      roles: ['caseworker'],
      candidateGroups: ['office-christkind'],
    });
    expect(office.ok && office.caseFile.claims[0].mergedClaims).toEqual([
      expect.objectContaining({
        reference: null,
        recipientId: null,
        itemsAdded: ['Schlittschuhe'],
      }),
    ]);
  });

  it('follows a merge of the earlier claim to the claim that stands', async () => {
    // given A merged into B
    const b = await claims.insert(aClaim({ claimantName: 'Tom Berg', items: ['Ball'] }));
    const a = await claims.insert(aClaim({ claimantName: 'Tom Berg', items: ['Ball', 'Kran'] }));
    await decide({ claimId: a.id, earlierClaimId: b.id, outcome: 'merge' });
    const c = await claims.insert(aClaim({ claimantName: 'Tom Berg', items: ['Kran', 'Zug'] }));

    // when C is merged into A
    await decide({ claimId: c.id, earlierClaimId: a.id, outcome: 'merge' });

    // then it went into B
    expect(await claims.get(c.id)).toMatchObject({ status: 'merged', mergedIntoId: b.id });
    expect((await claims.get(b.id))?.items).toEqual(['Ball', 'Kran', 'Zug']);
  });

  it('marks a rejected claim rejected, leaves an allowed one open, and refuses to merge into a rejected claim', async () => {
    // given
    const rejected = await claims.insert(aClaim({ claimantName: 'Ida Roth' }));
    const allowed = await claims.insert(aClaim({ claimantName: 'Ida Roth' }));
    const later = await claims.insert(aClaim({ claimantName: 'Ida Roth' }));

    // when
    await decide({ claimId: rejected.id, outcome: 'reject' });
    await decide({ claimId: allowed.id, outcome: 'allow' });
    const merge = await decide({
      claimId: later.id,
      earlierClaimId: rejected.id,
      outcome: 'merge',
    });

    // then
    expect((await claims.get(rejected.id))?.status).toBe('rejected');
    expect((await claims.get(allowed.id))?.status).toBe('open');
    expect(merge.incident).toBe(
      `Claim ${later.reference} cannot be merged into ${rejected.reference}: that claim was rejected; merge into the claim that stands`,
    );
    expect((await claims.get(later.id))?.status).toBe('open');
  });

  it('raises an incident for an unknown decision and for a decision that contradicts the recorded one', async () => {
    // given
    const claim = await claims.insert(aClaim({ claimantName: 'Ole Lund' }));

    // when / then
    expect((await decide({ claimId: claim.id, outcome: 'maybe' })).incident).toBe(
      'The variable outcome must be one of reject, merge, allow; it is "maybe"',
    );
    await decide({ claimId: claim.id, outcome: 'allow' });
    expect((await decide({ claimId: claim.id, outcome: 'reject' })).incident).toMatch(
      new RegExp(
        `^Claim ${claim.reference} was already decided 'allow' \\(process instance \\d+\\); 'reject' is not recorded$`,
      ),
    );
  });
});
