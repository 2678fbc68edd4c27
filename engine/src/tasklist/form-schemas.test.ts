import { describe, expect, it } from 'vitest';
import { FormSchemas, defaultFormsDirs } from './form-schemas.js';

describe('form lookup in files', () => {
  it('finds forms in schemas/forms and in the forms folders of the shipped processes', async () => {
    const forms = new FormSchemas(defaultFormsDirs());
    expect(await forms.load('claim-review')).toMatchObject({ ok: true });
    const shipped = await forms.load('duplicate-decision');
    expect(shipped).toMatchObject({
      ok: true,
      schema: expect.objectContaining({ type: 'object' }),
    });
    // with the UI schema kept beside it
    expect(shipped.ok && Object.keys(shipped.uiSchema).length).toBeGreaterThan(0);
  });

  it('names where it looked for an unknown form, and refuses keys that are paths', async () => {
    const forms = new FormSchemas(defaultFormsDirs());
    expect(await forms.load('no-such-form')).toMatchObject({
      ok: false,
      message: expect.stringContaining('schemas/forms/no-such-form.schema.json'),
    });
    expect(await forms.load('../secrets')).toMatchObject({
      ok: false,
      message: expect.stringContaining('invalid'),
    });
  });
});
