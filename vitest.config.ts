import { defineConfig } from 'vitest/config';

// One Vitest run covers every workspace. The global setup starts one embedded PostgreSQL server
// (or uses TEST_DATABASE_URL) that all test files share, each with its own database.
export default defineConfig({
  test: {
    include: [
      '*/src/**/*.test.ts',
      '*/test/**/*.test.ts',
      'bench/**/*.test.ts',
      'workflows/*/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['engine/src/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
