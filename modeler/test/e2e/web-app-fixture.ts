/**
 * The fixture every browser test of the web app starts from: a whole Kontor on a test database,
 * one user, and headless Chromium; `signIn` fills the sign-in form as a person would.
 */
import type { Browser, Page } from 'playwright-core';
import { UsersRepository, type NewUser } from '../../../engine/src/api/auth/users.repository.js';
import { launchBrowser } from '../../../engine/src/testing/browser.js';
import {
  startKontorHarness,
  type KontorHarness,
} from '../../../engine/src/testing/kontor-harness.js';

export interface WebAppFixture {
  readonly harness: KontorHarness;
  readonly browser: Browser;
  signIn(page: Page, username: string, password: string): Promise<void>;
  close(): Promise<void>;
}

/** `env`: Kontor settings for this app (e.g. KONTOR_SMTP_PORT), as in production. */
export async function startWebApp(
  users: NewUser[],
  env: Record<string, string> = {},
): Promise<WebAppFixture> {
  const harness = await startKontorHarness(env);
  const repository = new UsersRepository(harness.database.pool);
  for (const user of users) await repository.create(user);
  const browser = await launchBrowser();
  return {
    harness,
    browser,
    async signIn(page, username, password) {
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
    async close() {
      await browser.close();
      await harness.close();
    },
  };
}

export const ANALYST: NewUser = {
  username: 'ana',
  displayName: 'Ana Analyst',
  password: 'modelling is fun',
  roles: ['analyst'],
};
