import assert from 'node:assert/strict';
import { CrdValidator, goPattern } from './crdValidation';

/** A CRD schema with the API server's extensions, as controller-gen writes them. */
const widget = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'string' } } },
        items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
      },
    },
  },
};
const v = new CrdValidator({ 'example.com/v1/Widget': widget });
const doc = (spec: Record<string, unknown>, name = 'w') => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec });

describe('custom resources against their CRD schema', () => {
  it('accepts what the API server accepts: int-or-string, nullable, preserved unknown fields', () => {
    assert.deepEqual(v.validate(doc({ size: 3, note: null, extra: { anything: [1] } })), []);
    assert.deepEqual(v.validate(doc({ size: '50%' })), []);
  });

  it('names unknown fields, wrong types and missing required fields by path', () => {
    const issues = v.validate(doc({ sise: 3, note: 5, items: [{ nam: 'x' }] }))!.map((i) => `${i.path}: ${i.message}`).sort();
    assert.deepEqual(issues, [
      'spec.items.0.nam: unknown field',
      "spec.items.0: must have required property 'name'",
      'spec.note: must be string,null',
      'spec.sise: unknown field',
      "spec: must have required property 'size'",
    ]);
  });

  it('checks the object name, and knows nothing of other kinds', () => {
    assert.deepEqual(v.validate(doc({ size: 1 }, 'Not_A_Name'))!.map((i) => i.path), ['metadata.name']);
    assert.equal(v.validate({ apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' } }), undefined);
  });
});

describe("a CRD's Go regular expression", () => {
  it('keeps its case-insensitive (?i) flag as the i flag, which JavaScript has no inline form of', () => {
    const re = goPattern('^(?i)(abort|warn)?$', 'u');
    assert.ok(re.test('Warn') && re.test('ABORT') && re.test(''));
    assert.ok(!re.test('stop'));
    assert.ok(goPattern('^[a-z]+$', 'u').test('abc'));
  });
});
