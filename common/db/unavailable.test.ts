import assert from 'node:assert/strict';
import { databaseUnavailable } from './unavailable';

describe('databaseUnavailable', () => {
  it('names a full disk, a shutdown, a refused or broken connection', () => {
    assert.equal(databaseUnavailable({ code: '53100', message: 'could not extend file "base/1/2": No space left on device' }), 'the database is out of disk space');
    assert.equal(databaseUnavailable({ code: '57P01', message: 'terminating connection due to administrator command' }), 'the database is unavailable');
    assert.equal(databaseUnavailable({ code: '08006' }), 'the database is unavailable');
    assert.equal(databaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })), 'the database cannot be reached');
    assert.equal(databaseUnavailable(new Error('Connection terminated unexpectedly')), 'the database cannot be reached');
    assert.equal(databaseUnavailable(new Error('timeout exceeded when trying to connect')), 'the database cannot be reached');
  });

  it('leaves bugs and constraint violations alone (they stay 500s or are handled where they happen)', () => {
    assert.equal(databaseUnavailable({ code: '23505', message: 'duplicate key value violates unique constraint' }), undefined);
    assert.equal(databaseUnavailable({ code: '42P01', message: 'relation "x" does not exist' }), undefined);
    assert.equal(databaseUnavailable(new TypeError('cannot read properties of undefined')), undefined);
    assert.equal(databaseUnavailable(undefined), undefined);
  });
});
