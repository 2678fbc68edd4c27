/**
 * The audit trail of one process instance, for auditors to keep outside Kontor: the instance,
 * every record of it in stream order with its chain hash, and the result of verifying the
 * record chain at the time of export. As JSON (machine-checkable: the hashes can be recomputed)
 * or as PDF (to read and file). The records are read page by page, never all at once into a
 * query result; the chain verification is the engine's own.
 *
 *   const trail = await collectAuditTrail(instances, engine, key);
 *   res.json(trail)  |  writeAuditTrailPdf(trail, res)
 */
import { createRequire } from 'node:module';
import type { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { Engine } from '../../runtime/engine.js';
import type {
  OpenIncident,
  ProcessInstanceSummary,
  ProcessInstancesRepository,
  TimelineRecord,
} from './process-instances.repository.js';

export interface AuditTrail {
  readonly exportedAt: string;
  readonly exportedBy: string;
  readonly instance: ProcessInstanceSummary;
  readonly openIncidents: OpenIncident[];
  /** the engine's verification of the whole hash chain the records belong to */
  readonly verification: Awaited<ReturnType<Engine['verifyRecordChain']>>;
  readonly records: TimelineRecord[];
}

const PAGE = 1000;

export async function collectAuditTrail(
  instances: ProcessInstancesRepository,
  engine: Engine,
  instance: ProcessInstanceSummary,
  exportedBy: string,
): Promise<AuditTrail> {
  const records: TimelineRecord[] = [];
  for (let after = '0'; ;) {
    const page = await instances.records(instance.processInstanceKey, {
      afterPosition: after,
      limit: PAGE,
    });
    records.push(...page);
    if (page.length < PAGE) break;
    after = page.at(-1)!.position;
  }
  const [verification, openIncidents] = await Promise.all([
    engine.verifyRecordChain(),
    instances.openIncidents(instance.processInstanceKey),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    exportedBy,
    instance,
    openIncidents,
    verification,
    records,
  };
}

/** One line per record: what happened, where, and the essentials of its value. */
export function describeRecord(record: TimelineRecord): string {
  const value = record.value as Record<string, unknown>;
  const where = record.elementId ? ` ${record.elementId}` : '';
  switch (record.valueType) {
    case 'VARIABLE':
      return `VARIABLE ${record.intent} ${String(value.name)} = ${String(value.value)}`;
    case 'INCIDENT':
      return `INCIDENT ${record.intent}${where}: ${String(value.errorType ?? '')} ${String(value.errorMessage ?? '')}`.trim();
    case 'JOB':
      return `JOB ${record.intent}${where} (type ${String(value.type)}, retries ${String(value.retries)}${value.worker ? `, worker ${String(value.worker)}` : ''})`;
    default:
      return `${record.valueType} ${record.intent}${where}`;
  }
}

// DejaVu Sans, embedded: variable values and names are printed in whatever script they are in
// (the PDF base fonts cover Western European letters only).
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export function writeAuditTrailPdf(trail: AuditTrail, out: Writable): void {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: auditTitle(trail) } });
  doc.registerFont('Body', FONT);
  doc.registerFont('Body-Bold', FONT_BOLD);
  doc.font('Body');
  doc.pipe(out);
  doc.fontSize(16).text(auditTitle(trail));
  doc.moveDown(0.5).fontSize(10);
  const i = trail.instance;
  const facts: [string, string][] = [
    ['Process', `${i.bpmnProcessId} version ${i.version} (definition ${i.processDefinitionKey})`],
    ['State', i.state],
    ['Started', i.startedAt],
    ['Ended', i.endedAt ?? '—'],
    ['Business key', i.businessKey === undefined ? '—' : String(i.businessKey)],
    ['Open incidents', String(trail.openIncidents.length)],
    ['Records', String(trail.records.length)],
    ['Exported', `${trail.exportedAt} by ${trail.exportedBy}`],
  ];
  for (const [label, value] of facts)
    doc.font('Body-Bold').text(`${label}: `, { continued: true }).font('Body').text(value);

  doc.moveDown(0.5).font('Body-Bold');
  const v = trail.verification;
  if (v.ok) {
    doc.fillColor('#14532d').text(`Hash chain verified: ${v.checked} records, no changes found.`);
  } else {
    doc
      .fillColor('#991b1b')
      .text(`Hash chain BROKEN at position ${v.position} after ${v.checked} records: ${v.reason}`);
  }
  doc.fillColor('black').font('Body');

  doc.moveDown().fontSize(12).font('Body-Bold').text('Records');
  doc.fontSize(8).font('Body');
  for (const record of trail.records) {
    doc
      .font('Body-Bold')
      .text(`#${record.position}  ${record.time}  `, { continued: true })
      .font('Body')
      .text(describeRecord(record));
    doc.fillColor('#666').text(`hash ${record.hash}`).fillColor('black');
  }
  doc.end();
}

const auditTitle = (trail: AuditTrail) =>
  `Audit trail of process instance ${trail.instance.processInstanceKey}`;
