// The e-mail channel inside a whole Kontor: KONTOR_SMTP_PORT switches the SMTP server on, mail
// for a recipient's address becomes an inbound item whose documents land under the data
// directory, and the item starts the intake process through Kontor's own Zeebe gateway.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startKontorHarness,
  type KontorHarness,
} from '../../../engine/src/testing/kontor-harness.js';
import { zeebeClient } from '../../../engine/src/testing/gateway-harness.js';
import { ContentStore } from '../inbound/content-store.js';
import { InboundItemRepository } from '../inbound/inbound-item.repository.js';
import { RecipientsRepository } from '../inbound/recipients.repository.js';
import { eventually, INTAKE_TEST_BPMN, RECIPIENTS } from '../testing/intake-harness.js';

let harness: KontorHarness;
let dataDir: string;
beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-smtp-'));
  harness = await startKontorHarness({
    KONTOR_SMTP_PORT: '0',
    KONTOR_DATA_DIR: dataDir,
    KONTOR_INBOUND_PROCESS_ID: 'intake-test',
  });
});
afterAll(async () => {
  await harness?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('KONTOR_SMTP_PORT', () => {
  it('starts an SMTP server whose mail starts the inbound process', async () => {
    // given
    const recipients = new RecipientsRepository(harness.database.pool);
    for (const recipient of RECIPIENTS) await recipients.save(recipient);
    const zeebe = zeebeClient(`127.0.0.1:${harness.kontor.gatewayPort}`);
    await zeebe.deployResource({
      process: Buffer.from(INTAKE_TEST_BPMN),
      name: 'intake-test.bpmn',
    });
    await zeebe.close();
    expect(harness.kontor.smtpPort).toBeGreaterThan(0);
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: harness.kontor.smtpPort,
      ignoreTLS: true,
    });

    // when
    const info = await transport.sendMail({
      from: 'Lotte de Vries <lotte@example.nl>',
      to: 'sinterklaas@intake.example',
      subject: 'Verlanglijstje',
      text: 'Lieve Sinterklaas, ik wil graag een fiets en een boek.',
      attachments: [{ filename: 'tekening.txt', content: 'een tekening' }],
    });
    transport.close();

    // then
    const reference = /IN-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(info.response)![0];
    const items = new InboundItemRepository(harness.database.pool);
    const item = await eventually(async () => {
      const now = await items.byReference(reference);
      return now?.dispatch.state === 'started' && now;
    });
    expect(item).toMatchObject({ channel: 'email', recipientId: 'sinterklaas', language: 'nl' });
    const store = new ContentStore(path.join(dataDir, 'inbound'));
    expect((await store.get(item.attachments[0].sha256)).toString()).toBe('een tekening');
    const instance = await harness.database.pool.query(
      `SELECT count(*)::int AS n FROM inbound_item WHERE process_instance_key IS NOT NULL AND id = $1`,
      [item.id],
    );
    expect(instance.rows[0].n).toBe(1);
  });

  it('offers STARTTLS and refuses plain mail with KONTOR_SMTP_TLS_* and KONTOR_SMTP_REQUIRE_TLS', async () => {
    // given a Kontor with the test certificate for localhost
    const tls = (file: string) => fileURLToPath(new URL(`../testing/tls/${file}`, import.meta.url));
    const secured = await startKontorHarness({
      KONTOR_SMTP_PORT: '0',
      KONTOR_DATA_DIR: dataDir,
      KONTOR_SMTP_TLS_CERT: tls('localhost.cert.pem'),
      KONTOR_SMTP_TLS_KEY: tls('localhost.key.pem'),
      KONTOR_SMTP_REQUIRE_TLS: 'true',
    });
    const recipients = new RecipientsRepository(secured.database.pool);
    for (const recipient of RECIPIENTS) await recipients.save(recipient);
    const send = (options: SMTPTransport.Options) => {
      const transport = nodemailer.createTransport({
        host: '127.0.0.1',
        port: secured.kontor.smtpPort,
        ...options,
      });
      return transport
        .sendMail({ from: 'kim@example.org', to: 'christkind@intake.example', text: 'Ein Pony.' })
        .finally(() => transport.close());
    };
    try {
      // when
      const plain = await send({ ignoreTLS: true }).catch((e: { responseCode: number }) => e);
      const encrypted = await send({
        requireTLS: true,
        tls: { ca: [await fs.readFile(tls('localhost.cert.pem'))], servername: 'localhost' },
      });

      // then
      expect(plain).toMatchObject({ responseCode: 530 });
      expect(encrypted.response).toMatch(/^250 .*Accepted as IN-/);
    } finally {
      await secured.close();
    }
  });

  it('is off when KONTOR_SMTP_PORT is not set', async () => {
    // given
    const other = await startKontorHarness();
    try {
      // then
      expect(other.kontor.smtpPort).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
