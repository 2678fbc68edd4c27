/**
 * The instance starter of `bench:zeebe`, a Zeebe client application in a process of its own:
 * it starts instances with `@camunda8/sdk`'s createProcessInstanceWithResult and measures each
 * call, which answers once the instance completed (the engine answers after the batch that
 * completed it committed). Driven by main.ts over IPC:
 *
 *   → { kind: 'closed', bpmnProcessId, total, concurrency }   at most `concurrency` in flight
 *   → { kind: 'rate', bpmnProcessId, perSecond, seconds }      open loop at a fixed rate
 *   ← { elapsedMs, latenciesMs, errors, firstError? }
 */
import { zeebeClient } from '../../engine/src/testing/gateway-harness.js';

export type StarterRun =
  | { kind: 'closed'; bpmnProcessId: string; total: number; concurrency: number }
  | { kind: 'rate'; bpmnProcessId: string; perSecond: number; seconds: number };

export interface StarterResult {
  readonly elapsedMs: number;
  /** start-to-end latency of every instance that completed */
  readonly latenciesMs: number[];
  readonly errors: number;
  readonly firstError?: string;
}

/** A long wait for the result: the benchmark measures, it does not give up. */
const RESULT_TIMEOUT_MS = 120_000;

async function main(): Promise<void> {
  const address = process.argv[2];
  if (!address) throw new Error('usage: starter.ts <gateway address>');
  // No client-side retries: a refused start must show up as an error, not as latency.
  const zeebe = zeebeClient(address, { ZEEBE_GRPC_CLIENT_RETRY: false });
  await zeebe.topology();

  const run = async (request: StarterRun): Promise<StarterResult> => {
    const latenciesMs: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const startOne = async () => {
      const started = performance.now();
      try {
        await zeebe.createProcessInstanceWithResult({
          bpmnProcessId: request.bpmnProcessId,
          variables: {},
          requestTimeout: RESULT_TIMEOUT_MS,
        });
        latenciesMs.push(performance.now() - started);
      } catch (error) {
        errors += 1;
        firstError ??= (error as Error).message;
      }
    };
    const t0 = performance.now();
    if (request.kind === 'closed') {
      let next = 0;
      const lane = async () => {
        while (next < request.total) {
          next += 1;
          await startOne();
        }
      };
      await Promise.all(Array.from({ length: request.concurrency }, lane));
    } else {
      // Each start is due at t0 + i / rate, whatever the previous ones are doing (open loop).
      const total = request.perSecond * request.seconds;
      const running: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const due = t0 + (i * 1000) / request.perSecond;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
        running.push(startOne());
      }
      await Promise.all(running);
    }
    return { elapsedMs: performance.now() - t0, latenciesMs, errors, firstError };
  };

  process.on('message', (request: StarterRun | 'stop') => {
    if (request === 'stop') {
      void zeebe.close(1_000).finally(() => process.exit(0));
      return;
    }
    void run(request).then((result) => process.send?.(result));
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.('ready');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
