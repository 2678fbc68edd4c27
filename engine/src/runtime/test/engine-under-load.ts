/**
 * A real engine process under load, for the recovery test: deploys a three-task process, creates
 * instances continuously, and completes their jobs through streams. It prints one line per
 * acknowledged command (`created <key>`, `completed <jobKey>`) and runs until it is killed.
 */
import pg from 'pg';
import { processBuilder } from '../../bpmn/process-builder.js';
import { silentLogger } from '../../logging/logger.js';
import { Engine } from '../engine.js';

export const LOAD_PROCESS = processBuilder('load')
  .startEvent()
  .serviceTask('step-1', { type: 'step-1' })
  .serviceTask('step-2', { type: 'step-2' })
  .serviceTask('step-3', { type: 'step-3' })
  .endEvent()
  .toXml();

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  const engine = await Engine.start({ pool, logger: silentLogger() });
  await engine.deployResources([{ name: 'load.bpmn', content: LOAD_PROCESS }]);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  for (const type of ['step-1', 'step-2', 'step-3']) {
    engine.streamJobs({ type, worker: 'load', timeoutMs: 1_000 }, (job) => {
      engine.completeJob(job.key, { [type.replace('-', '')]: true }).then(
        () => out(`completed ${job.key}`),
        () => undefined,
      );
    });
  }
  const create = async (): Promise<void> => {
    for (;;) {
      const created = await engine.createProcessInstance({ bpmnProcessId: 'load' });
      out(`created ${created.processInstanceKey}`);
    }
  };
  await Promise.all(Array.from({ length: 20 }, create));
}

void main();
