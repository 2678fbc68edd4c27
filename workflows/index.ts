/**
 * Kontor's shipped business processes: their BPMN files, forms and job workers. Start a
 * process's workers against any Zeebe gateway:
 *
 *   const workers = startDuplicateClaimWorkers({ zeebe, pool, smtpRelay: { host, port, from } });
 *   await workers.close();
 */
export * from './duplicate-claim-escalation/workers/duplicate-claim.workers.js';
export * from './duplicate-claim-escalation/workers/claim-extraction.js';
export * from './duplicate-claim-escalation/workers/smtp-relay.js';
export * from './duplicate-claim-escalation/similarity/claim.js';
export * from './duplicate-claim-escalation/similarity/claims.repository.js';
export * from './duplicate-claim-escalation/similarity/similarity-check.js';
export * from './duplicate-claim-escalation/similarity/similarity-check.worker.js';
export * from './duplicate-claim-escalation/case-file/case-file.service.js';
export * from './duplicate-claim-escalation/case-file/case-file.routes.js';
