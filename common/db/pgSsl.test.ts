import assert from 'node:assert/strict';
import { pgSsl } from './pool';

describe('PostgreSQL TLS from PGSSLMODE and PGSSLROOTCERT', () => {
  const noFile = (f: string): string => assert.fail(`read ${f}`);

  it('disable: no TLS', () => {
    assert.equal(pgSsl({ pgSslMode: 'disable', pgSslRootCert: '' }, noFile), false);
  });

  it('require: encrypted, the server certificate not checked (as libpq)', () => {
    assert.deepEqual(pgSsl({ pgSslMode: 'require', pgSslRootCert: '/ignored' }, noFile), { rejectUnauthorized: false });
  });

  it('verify-full: checked against the given CA file, else the system CAs', () => {
    assert.deepEqual(pgSsl({ pgSslMode: 'verify-full', pgSslRootCert: '/etc/pg/ca.crt' }, (f) => `PEM of ${f}`), { rejectUnauthorized: true, ca: 'PEM of /etc/pg/ca.crt' });
    assert.deepEqual(pgSsl({ pgSslMode: 'verify-full', pgSslRootCert: '' }, noFile), { rejectUnauthorized: true });
  });
});
