/**
 * Signing in and out of the web app in a real Chromium against a real Kontor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import { ANALYST, startWebApp, type WebAppFixture } from './web-app-fixture.js';

describe('web app: sign-in', () => {
  let app: WebAppFixture;

  beforeAll(async () => {
    app = await startWebApp([ANALYST]);
  });
  afterAll(() => app?.close());

  it('refuses a wrong password, signs in with the right one, and signs out', async () => {
    const page = await app.browser.newPage();
    await page.goto(app.harness.url);

    // a wrong password shows the server's message
    await app.signIn(page, ANALYST.username, 'not the password');
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Wrong username or password');
    await saveScreenshot(page, 'sign-in-refused');

    // the right one opens the app, and a reload keeps the session
    await app.signIn(page, ANALYST.username, ANALYST.password);
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
