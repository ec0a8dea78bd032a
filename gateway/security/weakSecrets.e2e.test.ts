/**
 * An operator who ships the image (NODE_ENV=production) without a real JWT_SECRET must not get a
 * gateway that accepts tokens anyone can mint with the public development secret: every service
 * refuses to start and names the variable. Each service is started as the image starts it (its
 * built main.js), on port 0, pointed at nothing: what matters is whether it starts at all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';

const DIST = path.join(__dirname, '..', '..');
const SERVICES = { gateway: 'gateway/main.js', actors: 'actors/main.js', subscribers: 'subscribers/main.js' } as const;

interface Run {
  exitCode: number | null;
  output: string;
}

/**
 * Starts a service; resolves when it exits, when its output matches `until`, or after `waitMs`
 * (then exitCode is null). Whatever still runs is killed. The waits are generous: on a loaded
 * machine a service takes seconds just to load its modules.
 */
function start(main: string, env: Record<string, string | undefined>, until?: RegExp, waitMs = 60_000): Promise<Run> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, [path.join(DIST, main)], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve) => {
    const done = (exitCode: number | null) => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve({ exitCode, output });
    };
    const timer = setTimeout(() => done(null), waitMs);
    const read = (d: Buffer) => {
      output += d;
      if (until?.test(output)) done(null);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => done(code));
  });
}

// Nothing the services could reach: ports 0 to listen on, a closed port for PostgreSQL and Kafka.
const NOWHERE = {
  GATEWAY_PORT: '0', ACTORS_PORT: '0', SUBSCRIBERS_PORT: '0', PGPORT: '1', KAFKA_BROKERS: '127.0.0.1:1',
  DAPR_HTTP_PORT: '1', JWT_JWKS_URL: undefined, JWT_ISSUER: undefined, JWT_AUDIENCE: undefined, LOG_LEVEL: 'info',
};

describe('attacker: production with a weak JWT secret', function () {
  this.timeout(90_000);

  const weak: Array<[string, string | undefined]> = [
    ['missing', undefined],
    ['the development default', 'dev-secret-change-me'],
    ['one byte', 'x'],
    ['31 bytes', 'a'.repeat(31)],
  ];
  for (const [service, main] of Object.entries(SERVICES)) {
    for (const [what, secret] of weak) {
      it(`the ${service} refuses to start with NODE_ENV=production and a JWT_SECRET that is ${what}, naming JWT_SECRET`, async () => {
        const run = await start(main, { ...NOWHERE, NODE_ENV: 'production', JWT_SECRET: secret });
        assert.equal(run.exitCode, 1, `it should have exited 1; output:\n${run.output.slice(0, 2000)}`);
        assert.match(run.output, /refusing to start: JWT_SECRET/);
      });
    }
  }

  it('the gateway refuses a JWKS without JWT_ISSUER and JWT_AUDIENCE, naming both', async () => {
    const run = await start(SERVICES.gateway, { ...NOWHERE, NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' });
    assert.equal(run.exitCode, 1, run.output.slice(0, 2000));
    assert.match(run.output, /JWT_ISSUER must be set/);
    assert.match(run.output, /JWT_AUDIENCE must be set/);
  });

  it('the gateway starts with NODE_ENV=production and a 32-byte secret (the check refuses only what it should)', async () => {
    const run = await start(SERVICES.gateway, { ...NOWHERE, NODE_ENV: 'production', JWT_SECRET: 'k'.repeat(32) }, /gateway listening|refusing to start/);
    assert.doesNotMatch(run.output, /refusing to start/);
    assert.match(run.output, /gateway listening/);
  });
});
