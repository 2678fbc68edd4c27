/**
 * The public intake form in a real Chromium against a real Kontor: no sign-in, the recipient's
 * JSON Schema rendered by @rjsf/core, a wish list sent and answered with its reference number,
 * which names the inbound item stored for the recipient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundItemRepository } from '../../../connectors/src/inbound/inbound-item.repository.js';
import { RecipientsRepository } from '../../../connectors/src/inbound/recipients.repository.js';
import { RECIPIENTS } from '../../../connectors/src/testing/intake-harness.js';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import { startWebApp, type WebAppFixture } from './web-app-fixture.js';

describe('web app: public intake form', () => {
  let app: WebAppFixture;

  beforeAll(async () => {
    app = await startWebApp([]);
    const recipients = new RecipientsRepository(app.harness.database.pool);
    for (const recipient of RECIPIENTS) await recipients.save(recipient);
  });
  afterAll(() => app?.close());

  it('takes a wish list without sign-in and answers with its reference', async () => {
    // given
    const page = await app.browser.newPage();
    await page.goto(`${app.harness.url}/#/intake`);
    await page.getByRole('button', { name: 'Santa Claus' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Wish list for Santa Claus');

    // when sending without the required fields, the browser names them and nothing is sent
    await page.getByRole('button', { name: 'Send wish list' }).click();
    await saveScreenshot(page, 'intake-form-incomplete');
    await expect
      .poll(() => page.getByText("must have required property 'First name'").count())
      .toBeGreaterThan(0);

    // when filled in and sent
    await page.getByLabel('First name').fill('Emma');
    await page.getByLabel('Last name').fill('Johnson');
    await page.getByLabel('Street and number').fill('12 Elm Street');
    await page.getByLabel('Postal code').fill('SW1A 1AA');
    await page.getByLabel('City').fill('London');
    // (the form starts with one empty wish: the schema asks for at least one)
    await page.locator('input[id="root_wishes_0"]').fill('a red bicycle');
    await page.getByLabel('Message').fill('Dear Santa, I would like a red bicycle please.');
    await saveScreenshot(page, 'intake-form-filled');
    await page.getByRole('button', { name: 'Send wish list' }).click();

    // then
    const reference = page.getByTestId('intake-reference');
    await expect.poll(() => reference.count(), { timeout: 10_000 }).toBe(1);
    const text = (await reference.textContent())!;
    expect(text).toMatch(/^IN-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    await saveScreenshot(page, 'intake-form-sent');
    const item = await new InboundItemRepository(app.harness.database.pool).byReference(text);
    expect(item).toMatchObject({
      channel: 'web',
      recipientId: 'santa-claus',
      sender: { name: 'Emma Johnson', address: '12 Elm Street\nSW1A 1AA London' },
      language: 'en',
    });
    expect(item?.bodyText).toContain('- a red bicycle');

    // and the child can look up how it is doing, without signing in
    await page.getByTestId('intake-status-link').click();
    await expect.poll(() => page.getByTestId('status-now').textContent()).toBe('received');
    expect(await page.getByTestId('status-history').textContent()).toContain(
      'received (web for santa-claus)',
    );
    await saveScreenshot(page, 'intake-status');
    await page.close();
  });
});
