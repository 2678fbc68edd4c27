/**
 * Content-addressed storage for inbound documents: a file's name is the SHA-256 of its bytes, so
 * storing the same bytes twice keeps one file, and a stored file is never overwritten or changed
 * (it is created by hard-linking a fully written temporary file; an existing name is left alone).
 *
 *   const store = new ContentStore(path.join(dataDir, 'content'));
 *   const { sha256 } = await store.put(Buffer.from('%PDF-...'));
 *   const bytes = await store.get(sha256);
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

const SHA256 = /^[0-9a-f]{64}$/;

/** Thrown by `get` when no content with that SHA-256 is stored. */
export class ContentNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`No content with SHA-256 ${sha256} is stored`);
    this.name = 'ContentNotFoundError';
  }
}

export class ContentStore {
  constructor(readonly dir: string) {}

  /** Stores `content` (if not already there) and returns its SHA-256 and size. */
  async put(content: Buffer): Promise<{ sha256: string; size: number }> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const target = this.pathOf(sha256);
    try {
      await fs.access(target);
      return { sha256, size: content.length };
    } catch {
      // not stored yet
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(this.dir, 'tmp', `${sha256}.${randomBytes(6).toString('hex')}`);
    await fs.mkdir(path.dirname(temp), { recursive: true });
    const handle = await fs.open(temp, 'wx', 0o444);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(temp, target);
    } catch (error) {
      // Someone stored the same bytes meanwhile: theirs stays, the content is the same.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await fs.rm(temp, { force: true });
    }
    return { sha256, size: content.length };
  }

  async get(sha256: string): Promise<Buffer> {
    if (!SHA256.test(sha256)) throw new ContentNotFoundError(sha256);
    try {
      return await fs.readFile(this.pathOf(sha256));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new ContentNotFoundError(sha256);
      throw error;
    }
  }

  async has(sha256: string): Promise<boolean> {
    if (!SHA256.test(sha256)) return false;
    return fs.access(this.pathOf(sha256)).then(
      () => true,
      () => false,
    );
  }

  /** `<dir>/ab/cd/abcd…`: two levels keep directories small. */
  pathOf(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }
}
