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

  it('is, for a WITH statement, the kind of the statement its CTEs serve, not of the CTEs', () => {
    assert.equal(statementKind('WITH x AS (SELECT 1) SELECT * FROM x'), 'select');
    assert.equal(statementKind('with a AS (insert into t values (1) returning *), b AS (SELECT \')\' AS p) UPDATE t SET a = 1'), 'update');
    assert.equal(statementKind('WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) select n FROM r'), 'select');
    assert.equal(statementKind('WITH profile AS (INSERT INTO users VALUES (1)) INSERT INTO tasks VALUES (2)'), 'insert');
    assert.equal(statementKind('WITH deleted_rows AS (DELETE FROM t) DELETE FROM u'), 'delete');
    assert.equal(statementKind('WITH x AS (SELECT 1) VALUES (1)'), 'other');
    assert.equal(statementKind("WITH x AS (SELECT ')"), 'other');
  });

  it('is "other" for anything else, so the label has a fixed, small set of values', () => {
    assert.equal(statementKind('CREATE TABLE t (a int)'), 'other');
    assert.equal(statementKind(''), 'other');
    assert.equal(statementKind(undefined), 'other');
  });
});
