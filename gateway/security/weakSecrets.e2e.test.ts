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

/** Starts a service; resolves when it exits, or after `waitMs` (then it is killed and exitCode is null). */
function start(main: string, env: Record<string, string | undefined>, waitMs = 8000): Promise<Run> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, [path.join(DIST, main)], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ exitCode: null, output });
    }, waitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output });
    });
  });
}

// Nothing the services could reach: ports 0 to listen on, a closed port for PostgreSQL and Kafka.
const NOWHERE = {
  GATEWAY_PORT: '0', ACTORS_PORT: '0', SUBSCRIBERS_PORT: '0', PGPORT: '1', KAFKA_BROKERS: '127.0.0.1:1',
  DAPR_HTTP_PORT: '1', JWT_JWKS_URL: undefined, JWT_ISSUER: undefined, JWT_AUDIENCE: undefined, LOG_LEVEL: 'info',
};

describe('attacker: production with a weak JWT secret', function () {
  this.timeout(120_000);

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

  it('the gateway starts with NODE_ENV=production, a 32-byte secret and its Dapr API token (the check refuses only what it should)', async () => {
    const run = await start(SERVICES.gateway, { ...NOWHERE, NODE_ENV: 'production', JWT_SECRET: 'k'.repeat(32), DAPR_API_TOKEN: 't'.repeat(32) }, 5000);
    assert.doesNotMatch(run.output, /refusing to start/);
    assert.match(run.output, /gateway listening/);
  });
});
