/**
 * One Kontor process per data directory.
 *
 * `acquireDataDirLock` creates `<dataDir>/kontor.pid` exclusively. If the file exists and names
 * a live Kontor process, it throws `DataDirLockedError`; a lock left by a process that is gone
 * (killed, crashed) is taken over. `release()` removes the file only if it is still ours.
 *
 *   const lock = await acquireDataDirLock('.kontor');
 *   ...
 *   await lock.release();
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** Thrown when another live Kontor process holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `Another Kontor process (pid ${holderPid}) is using the data directory ${dataDir}. ` +
        'Stop it first, or give this one its own directory with KONTOR_DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): Promise<void>;
}

export async function acquireDataDirLock(dataDir: string): Promise<DataDirLock> {
  await fs.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'kontor.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return {
        file,
        async release() {
          const holder = await readPid(file);
          if (holder === process.pid) await fs.rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readPid(file);
    if (holder !== undefined && holder !== process.pid && (await isKontorProcess(holder))) {
      throw new DataDirLockedError(dataDir, holder);
    }
    // Stale: the process that wrote it is gone. Remove and try again (another starter may win).
    await fs.rm(file, { force: true });
  }
  throw new Error(`Could not take the lock ${file}: other processes keep taking it`);
}

async function readPid(file: string): Promise<number | undefined> {
  const pid = Number((await fs.readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Alive, and a Node process (a recycled pid of some other program does not count). */
async function isKontorProcess(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return cmdline === undefined || /node/.test(cmdline);
}
