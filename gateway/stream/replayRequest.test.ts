import assert from 'node:assert/strict';
import { parseReplayRequest } from './replayRequest';

const parse = (q: string, header?: string) => parseReplayRequest(new URLSearchParams(q), header);
const fields = (q: string, header?: string) => parse(q, header).errors.map((e) => e.field);
const ID = '3f2a8c1e-5b7d-4e7a-9c1f-0a1b2c3d4e5f';

describe('stream replay requests', () => {
  it('asks for nothing when neither after, since nor Last-Event-ID is given', () => {
    assert.deepEqual(parse('token=x'), { errors: [] });
  });

  it('reads after=<eventId>, or the Last-Event-ID header in its place', () => {
    assert.deepEqual(parse(`after=${ID}`).request, { after: ID });
    assert.deepEqual(parse('', ID.toUpperCase()).request, { after: ID });
    assert.deepEqual(parse(`after=${ID}`, '00000000-0000-4000-8000-000000000000').request, { after: ID }, 'the query wins');
  });

  it('reads since=<RFC 3339 instant>', () => {
    assert.deepEqual(parse('since=2026-11-23T10:00:00.123%2B01:00').request, { since: '2026-11-23T10:00:00.123+01:00' });
  });

  it('refuses what is not an eventId or an instant, both at once, and repeats, naming the field', () => {
    assert.deepEqual(fields('after=42'), ['after']);
    assert.deepEqual(fields('', 'last'), ['Last-Event-ID']);
    assert.deepEqual(fields('since=yesterday'), ['since']);
    assert.deepEqual(fields('since=2026-11-23T10:00:00'), ['since'], 'an instant needs its offset');
    assert.deepEqual(fields(`after=${ID}&since=2026-11-23T10:00:00Z`), ['since']);
    assert.deepEqual(fields(`after=${ID}&after=${ID}`), ['after']);
  });
});
