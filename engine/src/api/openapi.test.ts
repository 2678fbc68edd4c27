import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAgents, type Agents } from '../testing/api-agent.js';
import { startKontorHarness, type KontorHarness } from '../testing/kontor-harness.js';
import { openApiDocument } from './openapi.js';

describe('OpenAPI document', () => {
  let harness: KontorHarness;
  let agents: Agents;

  beforeAll(async () => {
    harness = await startKontorHarness();
    agents = await signInAgents(harness);
  });
  afterAll(() => harness?.close());

  describe('GET /api/openapi.json', () => {
    it('is an OpenAPI 3.1 document, readable without signing in', async () => {
      const res = await agents.anonymous.get('/api/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toBe('3.1.0');
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/auth/login',
          '/api/drafts',
          '/api/process-definitions',
          '/api/deployments',
          '/api/process-instances',
          '/api/process-instances/{key}/audit-trail',
          '/api/incidents/{key}/resolution',
          '/api/dashboard',
        ]),
      );
      expect(
        res.body.paths['/api/deployments'].post.requestBody.content['application/json'].schema,
      ).toMatchObject({ required: ['draftId'] });
      expect(res.body.paths['/api/dashboard'].get.description).toMatch(/Roles: auditor/);
    });

    it('describes only routes that exist: no documented GET answers "No route"', async () => {
      const res = await agents.admin.get('/api/openapi.json');
      for (const [path, operations] of Object.entries(
        res.body.paths as Record<string, Record<string, unknown>>,
      )) {
        if (!operations.get) continue;
        const concrete = path.replace(/\{\w+\}/g, '1');
        const answer = await agents.admin.get(concrete);
        expect(answer.body?.message ?? '', `GET ${path}`).not.toMatch(/^No route/);
      }
    });
  });

  it('refuses a path and method described twice', () => {
    const twice = { paths: { '/api/x': { get: { summary: 'x' } } } };
    expect(() => openApiDocument([twice, twice])).toThrow('GET /api/x is described twice');
  });
});
