import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from './data-dir-lock.js';

describe('acquireDataDirLock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-lock-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('writes our pid and removes it on release', async () => {
    const lock = await acquireDataDirLock(dir);
    expect((await fs.readFile(lock.file, 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
    await expect(fs.access(lock.file)).rejects.toThrow();
  });

  it('refuses while another live Node process holds the directory', async () => {
    // given a lock file naming a running node process
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await fs.writeFile(path.join(dir, 'kontor.pid'), `${holder.pid}\n`);

      // when / then
      const error = await acquireDataDirLock(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataDirLockedError);
      expect((error as Error).message).toBe(
        `Another Kontor process (pid ${holder.pid}) is using the data directory ${dir}. ` +
          'Stop it first, or give this one its own directory with KONTOR_DATA_DIR.',
      );
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    // given a lock file of a process that has exited
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    await fs.writeFile(path.join(dir, 'kontor.pid'), `${gone.pid}\n`);

    // when
    const lock = await acquireDataDirLock(dir);

    // then
    expect((await fs.readFile(lock.file, 'utf8')).trim()).toBe(String(process.pid));
    await lock.release();
  });
});
