/**
 * Signing in and out of the web app in a real Chromium against a real Kontor.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsersRepository } from '../../../engine/src/api/auth/users.repository.js';
import { launchBrowser, saveScreenshot } from '../../../engine/src/testing/browser.js';
import {
  startKontorHarness,
  type KontorHarness,
} from '../../../engine/src/testing/kontor-harness.js';

describe('web app: sign-in', () => {
  let harness: KontorHarness;
  let browser: Browser;

  beforeAll(async () => {
    harness = await startKontorHarness();
    await new UsersRepository(harness.database.pool).create({
      username: 'ana',
      displayName: 'Ana Analyst',
      password: 'modelling is fun',
      roles: ['analyst'],
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  it('refuses a wrong password, signs in with the right one, and signs out', async () => {
    const page = await browser.newPage();
    await page.goto(harness.url);

    // a wrong password shows the server's message
    await page.getByLabel('Username').fill('ana');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Wrong username or password');
    await saveScreenshot(page, 'sign-in-refused');

    // the right one opens the app, and a reload keeps the session
    await page.getByLabel('Password').fill('modelling is fun');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByTestId('signed-in-user').textContent())
      .toBe('Ana Analyst (analyst)');
    await page.reload();
    await expect
      .poll(() => page.getByTestId('signed-in-user').textContent())
      .toBe('Ana Analyst (analyst)');
    await saveScreenshot(page, 'signed-in');

    // signing out returns to the form
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    await page.close();
  });
});
