/**
 * A whole Kontor (HTTP server, web app, REST API) in this process, on a test database of its
 * own and free ports, for integration and browser tests.
 *
 *   const kontor = await startKontorHarness();
 *   await fetch(`${kontor.url}/health/ready`);
 *   await kontor.close();
 */
import { loadConfig } from '../config/config.js';
import { startKontor, type RunningKontor } from '../kontor.js';
import { silentLogger } from '../logging/logger.js';
import { freePort } from './free-port.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface KontorHarness {
  readonly kontor: RunningKontor;
  readonly database: TestDatabase;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  close(): Promise<void>;
}

export async function startKontorHarness(env: Record<string, string> = {}): Promise<KontorHarness> {
  const database = await createTestDatabase();
  const config = loadConfig({
    DATABASE_URL: database.url,
    KONTOR_HOST: '127.0.0.1',
    KONTOR_HTTP_PORT: String(await freePort()),
    KONTOR_GATEWAY_PORT: String(await freePort()),
    // tests deploy what they need; a test of a shipped process turns this on
    KONTOR_DEPLOY_SHIPPED_PROCESSES: 'false',
    ...env,
  });
  const kontor = await startKontor(config, silentLogger());
  return {
    kontor,
    database,
    url: `http://127.0.0.1:${kontor.httpPort}`,
    async close() {
      await kontor.stop();
      await database.drop();
    },
  };
}
