/**
 * Hands stored inbound items to processes through the Zeebe client: an item that quotes the
 * reference of an earlier item is a follow-up and is published as a message correlated by that
 * reference (its message id is the item's, so a repeated publish is refused by the engine); any
 * other item starts a new process instance. Delivery is at least once: an item stays `pending`
 * until the engine acknowledged it, and `start()` retries pending items (after a restart, or
 * while no process is deployed yet) until it succeeds. A start repeated because a crash came
 * between the engine's answer and the bookkeeping is stopped by the process's first step
 * (`InboundItemRepository.takeForInstance`): one instance per item works on it.
 *
 *   const dispatcher = new ProcessDispatcher({ zeebe, items, logger, bpmnProcessId: 'duplicate-claim-escalation' });
 *   dispatcher.start();
 *   await dispatcher.dispatch(item);   // right after storing; failures stay pending
 *   await dispatcher.stop();
 */
import type { Zeebe } from '@camunda8/sdk';
import type { Logger } from 'pino';
import { itemVariables, type InboundItem } from './inbound-item.js';
import type { InboundItemRepository } from './inbound-item.repository.js';
import type { ItemStatus } from './item-status.js';

export interface ProcessDispatcherOptions {
  readonly zeebe: Zeebe.ZeebeGrpcClient;
  readonly items: InboundItemRepository;
  readonly logger: Logger;
  /** the process a new item starts */
  readonly bpmnProcessId: string;
  /** the message a follow-up item is published as. @default 'inbound-item-received' */
  readonly messageName?: string;
  /** how long a follow-up message waits for its catch event. @default 7 days (ms) */
  readonly messageTtlMs?: number;
  /** pause between retries of pending items. @default 5000 (ms) */
  readonly retryIntervalMs?: number;
  /** where "in progress" is written for status at a button press */
  readonly status?: ItemStatus;
}

export type DispatchOutcome =
  | { readonly state: 'started'; readonly processInstanceKey: string }
  | { readonly state: 'correlated'; readonly correlationKey: string }
  | { readonly state: 'pending'; readonly error: string };

const REFERENCE = /\bIN-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}\b/g;

type Variables = Parameters<Zeebe.ZeebeGrpcClient['createProcessInstance']>[0]['variables'];
type MessageVariables = NonNullable<
  Parameters<Zeebe.ZeebeGrpcClient['publishMessage']>[0]['variables']
>;

export class ProcessDispatcher {
  private readonly messageName: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly options: ProcessDispatcherOptions) {
    this.messageName = options.messageName ?? 'inbound-item-received';
  }

  /** Delivers one item; an engine that cannot be reached leaves it pending (no exception). */
  async dispatch(item: InboundItem): Promise<DispatchOutcome> {
    const { zeebe, items, logger } = this.options;
    try {
      const earlier = await this.quotedItem(item);
      if (earlier) {
        await zeebe
          .publishMessage({
            name: this.messageName,
            correlationKey: earlier.reference,
            messageId: item.id,
            timeToLive: this.options.messageTtlMs ?? 7 * 24 * 3_600_000,
            // Under its own name, so the follow-up does not overwrite the item that started it.
            variables: { followUpItem: itemVariables(item).inboundItem } as MessageVariables,
          })
          .catch((error: { code?: number }) => {
            // ALREADY_EXISTS: published before a crash, the engine has it.
            if (error.code !== 6) throw error;
          });
        await items.markDispatched(item.id, { state: 'correlated' });
        await this.options.status?.append(earlier.id, 'follow-up received', item.reference);
        await this.options.status?.append(item.id, 'added to earlier case', earlier.reference);
        logger.info({ item: item.reference, to: earlier.reference }, 'inbound item correlated');
        return { state: 'correlated', correlationKey: earlier.reference };
      }
      const started = await zeebe.createProcessInstance({
        bpmnProcessId: this.options.bpmnProcessId,
        variables: itemVariables(item) as Variables,
      });
      const processInstanceKey =
        (await items.markDispatched(item.id, {
          state: 'started',
          processInstanceKey: started.processInstanceKey,
        })) ?? started.processInstanceKey;
      await this.options.status?.append(item.id, 'in progress');
      logger.info({ item: item.reference, processInstanceKey }, 'inbound item started a process');
      return { state: 'started', processInstanceKey };
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      await items.markDispatchFailed(item.id, message).catch(() => undefined);
      logger.warn({ item: item.reference, err: error }, 'inbound item stays pending');
      return { state: 'pending', error: message };
    }
  }

  /** Retries pending items every `retryIntervalMs` until `stop()`. */
  start(): void {
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.retryPending().finally(schedule);
      }, this.options.retryIntervalMs ?? 5_000);
      this.timer.unref();
    };
    schedule();
  }

  async retryPending(): Promise<number> {
    let delivered = 0;
    for (const item of await this.options.items.pending()) {
      if (this.stopped) break;
      if ((await this.dispatch(item)).state !== 'pending') delivered += 1;
    }
    return delivered;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async quotedItem(item: InboundItem): Promise<InboundItem | undefined> {
    const text = `${item.subject ?? ''}\n${item.bodyText}`;
    for (const reference of new Set(text.match(REFERENCE) ?? [])) {
      if (reference === item.reference) continue;
      const earlier = await this.options.items.byReference(reference);
      if (earlier) return earlier;
    }
    return undefined;
  }
}
