/** GET /v1/openapi.json describes what the gateway really answers: real responses, checked against it. */
import assert from 'node:assert/strict';
import type { ValidateFunction } from 'ajv';
import { newAjv } from '../common/validation';
import { api, tokenFor, uniqueUser, type ApiResponse } from '../stack/testSupport';

/** The parts of the served OpenAPI document this test reads. */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>;
}

describe('the OpenAPI document matches real responses', function () {
  this.timeout(60_000);
  let doc: OpenApiDocument;
  const ajv = newAjv();
  const compiled = new Map<string, ValidateFunction>();
  const exercised = new Set<string>();

  before(async () => {
    const res = await api('GET', '/v1/openapi.json');
    assert.equal(res.status, 200);
    doc = res.body;
    assert.equal(doc.openapi, '3.1.0');
    ajv.addSchema(doc, 'openapi');
  });

  function operation(method: string, path: string) {
    const p = path.split('?')[0];
    const template = Object.keys(doc.paths).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(p));
    assert.ok(template, `${p} is documented`);
    const op = doc.paths[template][method.toLowerCase()];
    assert.ok(op, `${method} ${template} is documented`);
    return { template, op };
  }

  /** Asserts the response's status is documented for the call and its body matches the schema. */
  function conforms(method: string, path: string, res: ApiResponse): void {
    const { template, op } = operation(method, path);
    const documented = op.responses[String(res.status)];
    assert.ok(documented, `${method} ${template} documents status ${res.status} (body ${String(JSON.stringify(res.body)).slice(0, 200)})`);
    exercised.add(`${method} ${template}`);
    const schemaRef = documented.content?.['application/json']?.schema?.$ref as string | undefined;
    if (!schemaRef) return;
    const key = `openapi${schemaRef}`;
    if (!compiled.has(key)) compiled.set(key, ajv.compile({ $ref: key }));
    const validate = compiled.get(key)!;
    assert.ok(validate(res.body), `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}`);
  }

  it('for every operation: success, errors, validation failures', async () => {
    const user = uniqueUser('openapi');
    const token = await tokenFor(user);
    const call = async (method: string, path: string, opts: Parameters<typeof api>[2] = {}) => {
      const res = await api(method, path, { token, ...opts });
      conforms(method, path, res);
      return res;
    };
    const created = await call('POST', '/v1/tasks', { body: { title: 'documented', tags: ['a'], reminders: [{ before: 'PT5M' }], due: '2026-12-01T09:00:00Z' }, headers: { 'idempotency-key': 'k1' } });
    await call('POST', '/v1/tasks', { body: { title: 'documented' }, headers: { 'idempotency-key': 'k1' } });
    await call('POST', '/v1/tasks', { body: { title: '' } });
    await call('POST', '/v1/tasks', { rawBody: '{' });
    await call('POST', '/v1/tasks', { body: { title: 'x', description: 'y'.repeat(1_100_000) } });
    const id = created.body.id;
    await call('GET', '/v1/tasks?limit=1');
    await call('GET', '/v1/tasks?sort=nope');
    await call('GET', `/v1/tasks/${id}`);
    await call('GET', '/v1/tasks/nope');
    await call('PATCH', `/v1/tasks/${id}`, { body: { priority: 'low' }, headers: { 'if-match': '"1"' } });
    await call('PATCH', `/v1/tasks/${id}`, { body: { priority: 'high' }, headers: { 'if-match': '"1"' } });
    await call('POST', `/v1/tasks/${id}/complete`);
    await call('POST', `/v1/tasks/${id}/reopen`);
    await call('GET', '/v1/audit?limit=5');
    await call('GET', '/v1/audit?limit=0');
    await call('POST', '/v1/stream/ticket');
    await call('DELETE', `/v1/tasks/${id}`);
    await call('DELETE', `/v1/tasks/${id}`);
    const anon = await api('GET', '/v1/tasks');
    conforms('GET', '/v1/tasks', anon);
    assert.equal(anon.status, 401);

    for (const op of ['POST /v1/tasks', 'GET /v1/tasks', 'GET /v1/tasks/{id}', 'PATCH /v1/tasks/{id}', 'DELETE /v1/tasks/{id}',
      'POST /v1/tasks/{id}/complete', 'POST /v1/tasks/{id}/reopen', 'GET /v1/audit', 'POST /v1/stream/ticket']) {
      assert.ok(exercised.has(op), `${op} was checked`);
    }
  });

  it('429 with Retry-After when one user sends more than the burst', async () => {
    const token = await tokenFor(uniqueUser('burst'));
    // An unrouted /v1 path: limited like every /v1 call, but answered without an actor call, so the
    // burst arrives faster than the bucket refills even on a slow machine.
    const results = await Promise.all(Array.from({ length: 400 }, () => api('GET', '/v1/no-such-route', { token })));
    const limited = results.find((r) => r.status === 429);
    assert.ok(limited, `some requests were limited: ${JSON.stringify(results.map((r) => r.status).slice(0, 5))}`);
    assert.equal(limited.body.error.code, 'rate_limited');
    const afterBurst = await api('GET', '/v1/tasks/none', { token });
    conforms('GET', '/v1/tasks/none', afterBurst.status === 429 ? afterBurst : limited);
    assert.match(limited.headers.get('retry-after') ?? '', /^\d+$/);
    const other = await api('GET', '/v1/tasks/none', { token: await tokenFor(uniqueUser('calm')) });
    assert.equal(other.status, 404, 'other users are not limited');
  });

  it('sends security headers', async () => {
    const res = await api('GET', '/v1/openapi.json');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  });
});
