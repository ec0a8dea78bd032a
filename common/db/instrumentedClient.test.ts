import assert from 'node:assert/strict';
import { statementKind } from './instrumentedClient';

describe('the statement kind label of db_query_duration_seconds', () => {
  it('is the first keyword, lower case, whatever the spacing and parentheses', () => {
    assert.equal(statementKind('SELECT 1'), 'select');
    assert.equal(statementKind('\n   insert INTO t VALUES (1)'), 'insert');
    assert.equal(statementKind('(SELECT 1) UNION (SELECT 2)'), 'select');
    assert.equal(statementKind('BEGIN'), 'begin');
    assert.equal(statementKind('COMMIT'), 'commit');
  });

  it('is "other" for anything else, so the label has a fixed, small set of values', () => {
    assert.equal(statementKind('WITH x AS (SELECT 1) SELECT * FROM x'), 'other');
    assert.equal(statementKind('CREATE TABLE t (a int)'), 'other');
    assert.equal(statementKind(''), 'other');
    assert.equal(statementKind(undefined), 'other');
  });
});
