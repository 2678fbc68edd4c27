import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configurationTable } from './config/config.js';

describe('README', () => {
  it('documents exactly the settings that the configuration module declares', async () => {
    const readme = await fs.readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const documented =
      /<!-- configuration-table:start -->\n([\s\S]*?)\n<!-- configuration-table:end -->/.exec(
        readme,
      );
    expect(documented?.[1]).toBe(configurationTable());
  });

  it('opens with the two commands', async () => {
    const readme = await fs.readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme.split('\n').slice(0, 6).join('\n')).toContain('npm install && npm start');
    expect(readme.split('\n').slice(0, 6).join('\n')).toContain('npm test');
  });
});
