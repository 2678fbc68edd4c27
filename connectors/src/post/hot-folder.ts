/**
 * A watched hot folder for scanners and fax servers: files put into
 * `<dir>/<post|fax>/<recipient>/` become inbound items. A file is taken once it has not changed
 * for `settleMs` (a scanner may still be writing it); after it is stored it moves to
 * `<dir>/.done/`, and a file that is refused moves to `<dir>/.rejected/` with a
 * `<name>.reason.txt` beside it. Nothing is deleted; a file that fails for another reason (the
 * database is down) stays where it is and is tried again. A fax server names the sending
 * number by starting the file name with it and an underscore (`fax/christkind/+49897654321_0915.pdf`).
 *
 *   const folder = new HotFolder({ dir: '/srv/scans', scans, logger });
 *   folder.start();
 *   await folder.stop();
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { InboundRejectedError } from '../inbound/inbound.service.js';
import { NotAScanError } from './scan-text.js';
import type { ScanIntake } from './scan-intake.js';

export interface HotFolderOptions {
  readonly dir: string;
  readonly scans: ScanIntake;
  readonly logger: Logger;
  /** @default 2000 (ms) */
  readonly pollIntervalMs?: number;
  /** @default 1000 (ms) */
  readonly settleMs?: number;
}

const CHANNELS = ['post', 'fax'] as const;
/** a fax's file name may start with the sending number: `+49897654321_…` */
const SENDER_PREFIX = /^(\+?\d{6,20})_/;

export class HotFolder {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(private readonly options: HotFolderOptions) {}

  start(): void {
    const schedule = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.scan()
          .catch((error: unknown) =>
            this.options.logger.error({ err: error }, 'hot folder scan failed'),
          )
          .finally(schedule);
      }, this.options.pollIntervalMs ?? 2_000);
      this.timer.unref();
    };
    schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over the folder; resolves with what happened to each file it took. */
  async scan(): Promise<{ file: string; outcome: 'stored' | 'rejected'; detail: string }[]> {
    const results: { file: string; outcome: 'stored' | 'rejected'; detail: string }[] = [];
    const settleMs = this.options.settleMs ?? 1_000;
    for (const channel of CHANNELS) {
      const channelDir = path.join(this.options.dir, channel);
      for (const recipientId of await list(channelDir)) {
        const recipientDir = path.join(channelDir, recipientId);
        for (const name of await list(recipientDir)) {
          const file = path.join(recipientDir, name);
          const stat = await fs.stat(file).catch(() => undefined);
          if (!stat?.isFile() || Date.now() - stat.mtimeMs < settleMs) continue;
          const relative = path.join(channel, recipientId, name);
          try {
            const { item } = await this.options.scans.receive({
              recipientId,
              channel,
              filename: name,
              content: await fs.readFile(file),
              scanId: `hot-folder:${relative}:${stat.size}:${Math.round(stat.mtimeMs)}`,
              ...(channel === 'fax' && SENDER_PREFIX.test(name)
                ? { senderFax: SENDER_PREFIX.exec(name)![1] }
                : {}),
            });
            await this.moveTo('.done', relative, file);
            results.push({ file: relative, outcome: 'stored', detail: item.reference });
          } catch (error) {
            if (!(error instanceof NotAScanError || error instanceof InboundRejectedError)) {
              this.options.logger.warn(
                { err: error, file: relative },
                'hot folder file stays for a retry',
              );
              continue;
            }
            const target = await this.moveTo('.rejected', relative, file);
            await fs.writeFile(`${target}.reason.txt`, `${error.message}\n`);
            results.push({ file: relative, outcome: 'rejected', detail: error.message });
          }
        }
      }
    }
    return results;
  }

  private async moveTo(folder: string, relative: string, file: string): Promise<string> {
    let target = path.join(this.options.dir, folder, relative);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // a later file of the same name never replaces an earlier one
    if (
      await fs.stat(target).then(
        () => true,
        () => false,
      )
    )
      target = `${target}.${Date.now()}`;
    await fs.rename(file, target);
    return target;
  }
}

async function list(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
}
