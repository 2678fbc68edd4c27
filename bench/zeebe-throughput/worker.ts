/**
 * The job workers of `bench:zeebe`, in a process of their own so that they share nothing with
 * the engine but the gRPC connection: one `@camunda8/sdk` worker per job type, completing every
 * job at once. Started by main.ts with IPC:
 *
 *   node --import tsx bench/zeebe-throughput/worker.ts <gateway address> <mode> <type>...
 *
 * mode `stream` uses StreamActivatedJobs (jobs are pushed as they are created); mode `poll`
 * uses ActivateJobs long polling (`createWorker`). Sends 'ready' once every worker is open,
 * closes the workers and exits on 'stop'.
 */
import { zeebeClient } from '../../engine/src/testing/gateway-harness.js';

/** Jobs a polling worker holds at once. */
const MAX_JOBS_IN_FLIGHT = 512;

async function main(): Promise<void> {
  const [address, mode, ...types] = process.argv.slice(2);
  if (!address || (mode !== 'stream' && mode !== 'poll') || types.length === 0) {
    throw new Error('usage: worker.ts <gateway address> <stream|poll> <type>...');
  }
  const zeebe = zeebeClient(address);
  await zeebe.topology();
  const closers: (() => unknown)[] = [];
  for (const type of types) {
    if (mode === 'stream') {
      await zeebe.streamJobs({
        type,
        worker: `bench-${type}`,
        timeout: 60_000,
        tenantIds: [],
        taskHandler: (job) => job.complete(),
      });
    } else {
      const worker = zeebe.createWorker({
        taskType: type,
        maxJobsToActivate: MAX_JOBS_IN_FLIGHT,
        timeout: 60_000,
        taskHandler: (job) => job.complete(),
      });
      closers.push(() => worker.close());
    }
  }
  process.send?.('ready');
  process.on('message', (message) => {
    // Polling workers close cleanly; streams are simply dropped with the process (the SDK would
    // print every cancelled stream as an error), and the gateway sees them cancelled.
    if (message !== 'stop') return;
    void Promise.all(closers.map((close) => close())).finally(() => process.exit(0));
  });
  // main.ts going away ends the workers too
  process.on('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
