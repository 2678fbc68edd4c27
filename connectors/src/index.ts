/**
 * Kontor's channel connectors: what arrives by e-mail, web form, post or fax becomes one
 * normalized inbound item, stored with its documents (content-addressed, never overwritten) and
 * handed to a process through the Zeebe client.
 *
 *   const intake = new InboundService({ items, recipients, store, dispatcher, logger });
 *   const smtp = await startSmtpConnector({ intake, recipients, host: '0.0.0.0', port: 2525, logger });
 */
export * from './inbound/inbound-item.js';
export * from './inbound/content-store.js';
export * from './inbound/inbound-item.repository.js';
export * from './inbound/recipients.repository.js';
export * from './inbound/inbound.service.js';
export * from './inbound/process-dispatcher.js';
export * from './inbound/zeebe-client.js';
export * from './inbound/language.js';
export * from './email/smtp.connector.js';
export * from './start-connectors.js';
export * from './web/web-intake.routes.js';
export * from './web/web-intake-form.js';
export * from './web/rate-limiter.js';
export * from './post/scan-text.js';
export * from './post/scan-intake.js';
export * from './post/hot-folder.js';
export * from './post/scan-intake.routes.js';
export * from './inbound/item-status.js';
export * from './inbound/status.routes.js';
export * from './intake.openapi.js';
